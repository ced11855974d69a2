import Foundation
import Store

/// How much of a complete enumeration a search's catalog holds (`ensemble catalog recall`): the
/// fraction of the enumerated vacua, or of those in given ranges, that the search found, and the
/// search vacua the enumeration lacks, which would be a bug in one of them.
public struct VacuaRecall {
    /// The enumeration's tadpole bound; search vacua with a larger N_flux are left out.
    public let fluxLimit: Int
    /// Search vacua with N_flux ≤ the bound that are in the enumeration.
    public let found: Int
    /// Vacua in the enumeration.
    public let total: Int
    /// Keys (the 8 fluxes) of search vacua with N_flux ≤ the bound that the enumeration lacks.
    public let missing: [[Int64]]
    /// Search vacua beyond the enumeration's bound.
    public let beyond: Int

    /// Compares the catalogs (already filtered alike); `fluxLimit` is the enumeration's L.
    public init(search: Catalog, enumeration: Catalog, fluxLimit: Int) throws(JobError) {
        guard let n = search.columns.firstIndex(where: { $0.name == "n_flux" }) else {
            throw JobError(file: "catalog recall", "the search catalog has no n_flux column")
        }
        let reference = Set(enumeration.rows.map(enumeration.key))
        var found = 0, beyond = 0, missing: [[Int64]] = []
        for row in search.rows {
            guard case let .integer(flux) = row[n], flux <= fluxLimit else { beyond += 1; continue }
            if reference.contains(search.key(row)) { found += 1 } else { missing.append(search.key(row)) }
        }
        (self.fluxLimit, self.found, self.total, self.missing, self.beyond) = (fluxLimit, found, enumeration.rows.count, missing, beyond)
    }

    /// The tadpole bound of an enumeration run (its /summary names the method), refusing a file that is not one.
    public static func enumerationLimit(_ path: String) throws(JobError) -> Int {
        let limit: Int64, method: [Cell]
        do {
            let file = try File.open(path, communicator: nil)
            defer { try? file.close() }
            let root = try file.root()
            guard root.contains("summary"), case let .integer(l) = try root.attribute("flux_limit") else { throw StoreError.mismatch("no /summary") }
            (limit, method) = (l, try Table.open("summary", in: root).rows().map { $0[0] })
        } catch {
            throw JobError(file: path, "is not the run file of a vacua job: \(error)")
        }
        guard method == [.text("enumerate")] else {
            throw JobError(file: path, "is not a complete enumeration (its /summary does not name method \"enumerate\"); run a job with method = \"enumerate\"")
        }
        return Int(limit)
    }

    /// found / total in percent (0 of 0 is 0).
    public var percent: Double { total == 0 ? 0 : 100 * Double(found) / Double(total) }
}
