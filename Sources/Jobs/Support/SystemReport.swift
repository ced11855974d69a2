import Cluster
import Foundation
import Numerics
import Store

/// What `ensemble info` reports: the libraries Ensemble runs on and where its ranks are.
public enum SystemReport {
    /// The report lines; rank 0 prints them. Collective (host names are gathered).
    public static func lines(communicator: Communicator) throws -> [String] {
        let hosts = try communicator.allgather(try MPIEnvironment.processorName())
        var byHost: [String: [Int]] = [:]
        for (rank, host) in hosts.enumerated() { byHost[host, default: []].append(rank) }
        var lines = [
            "ensemble        \(Provenance.version) (git \(Provenance.gitCommit))",
            "MPI library     \(MPIEnvironment.libraryVersion)",
            "MPI standard    \(MPIEnvironment.standardVersion)",
            "compiled for    \(InstructionSet.name) (make CPU=… chooses; see README)",
            "ranks           \(communicator.size)",
        ]
        for host in byHost.keys.sorted() {
            lines.append("  host \(host): ranks \(byHost[host]!.map(String.init).joined(separator: ", "))")
        }
        lines += [
            "HDF5            \(HDF5Library.version), parallel (MPI-IO driver)\(HDF5Library.hasDeflate ? ", deflate available" : ", no deflate")",
            "OpenBLAS        \(BLAS.configuration)",
            "BLAS threads    \(BLAS.threads) per rank (OPENBLAS_NUM_THREADS=\(ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"] ?? "unset"))",
        ]
        return lines
    }
}
