// swift-tools-version:6.0
// Ensemble: lattice Monte Carlo, HMC, landscape search and data-parallel training over MPI.
// Layers and their rules are in DESIGN.md: C shims, then runtime (Cluster, Store, Numerics),
// then engines, then the app (Jobs, ensemble). Each module imports only layers below it.
import PackageDescription

let package = Package(
    name: "Ensemble",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "ensemble", targets: ["ensemble"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/LebJe/TOMLKit.git", exact: "0.6.0"),
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
    ],
    targets: [
        // C layer: system libraries found by pkg-config, each with a shim of static inline getters.
        .systemLibrary(name: "CMPI", pkgConfig: "ompi-c",
                       providers: [.apt(["libopenmpi-dev", "openmpi-bin"])]),
        .systemLibrary(name: "CHDF5", pkgConfig: "hdf5-openmpi",
                       providers: [.apt(["libhdf5-openmpi-dev"])]),
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),

        // Runtime layer.
        .target(name: "Cluster", dependencies: ["CMPI"]),
        .target(name: "Store", dependencies: ["CHDF5", "Cluster"]),
        // -fno-math-errno lets squareRoot() on SIMD vectors compile to the vector instruction
        // instead of one errno-setting libm call per lane (VectorMath.squareRoot).
        .target(name: "Numerics", dependencies: ["CBLAS"], swiftSettings: [.unsafeFlags(["-Xcc", "-fno-math-errno"])]),
        // The ONNX file format's messages, generated once from onnx.proto by protoc-gen-swift
        // (Sources/ONNX/regenerate.sh; never at build time). Only Jobs imports it, to export models.
        .target(name: "ONNX", dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")],
                exclude: ["regenerate.sh"]),

        // Engines: they take typed parameters and a Communicator, and never touch files or the terminal.
        .target(name: "Lattice", dependencies: ["Cluster", "Numerics"]),
        .target(name: "Ising", dependencies: ["Lattice", "Cluster", "Numerics"]),
        .target(name: "Phi4", dependencies: ["Lattice", "Cluster", "Numerics"]),
        .target(name: "Learning", dependencies: ["Cluster", "Numerics"]),
        .target(name: "Vacua", dependencies: ["Learning", "Cluster", "Numerics"]),
        .target(name: "Generative", dependencies: ["Learning", "Cluster", "Numerics"]),

        // App layer. BuildInfo holds what the build knows (the git commit), made by a build plugin.
        .plugin(name: "GitCommit", capability: .buildTool(), path: "Plugins/GitCommit"),
        .target(name: "BuildInfo", plugins: ["GitCommit"]),
        .target(name: "Jobs", dependencies: [
            "BuildInfo", "Cluster", "Store", "Numerics", "Lattice", "Ising", "Phi4", "Learning", "Generative", "Vacua", "ONNX",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            .product(name: "TOMLKit", package: "TOMLKit"),
        ]),
        .executableTarget(name: "ensemble", dependencies: [
            "Jobs", "Cluster", "Store", "Numerics", "Ising",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        .testTarget(name: "ClusterTests", dependencies: ["Cluster"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "Cluster"]),
        .testTarget(name: "NumericsTests", dependencies: ["Numerics"]),
        .testTarget(name: "LatticeTests", dependencies: ["Lattice"]),
        .testTarget(name: "IsingTests", dependencies: ["Ising", "Lattice", "Numerics"]),
        .testTarget(name: "Phi4Tests", dependencies: ["Phi4", "Lattice", "Cluster", "Numerics"]),
        .testTarget(name: "VacuaTests", dependencies: ["Vacua", "Cluster"]),
        .testTarget(name: "LearningTests", dependencies: ["Learning", "Cluster", "Numerics"]),
        .testTarget(name: "GenerativeTests", dependencies: ["Generative", "Learning", "Numerics", "Cluster"]),
        .testTarget(name: "JobsTests", dependencies: ["Jobs", "Phi4", "Generative", "Numerics"]),
        // Runs the real `ensemble` binary under mpirun and reads its files with h5py and h5dump.
        .target(name: "Launching", path: "Tests/Launching"),
        .testTarget(name: "MultiRankTests", dependencies: ["Launching"]),
        // Faults a cluster really has, injected: ranks killed at every stage, damaged files, a full
        // disk, two writers, inputs as outputs.
        .testTarget(name: "FaultTests", dependencies: ["Launching"]),
    ],
    swiftLanguageModes: [.v6]
)
