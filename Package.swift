// swift-tools-version:6.0
import PackageDescription

// Versions are pinned to the ones the build machines mirror; keep them exact so every
// clone resolves the same graph.
let package = Package(
    name: "batchtop",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "batchtop", targets: ["batchtop"]),
        .library(name: "BatchKit", targets: ["BatchKit"]),
        .library(name: "BatchEmulator", targets: ["BatchEmulator"]),
        // For the fuzz targets (Fuzz/Package.swift), which depend on this package by path.
        .library(name: "Dashboard", targets: ["Dashboard"]),
        .library(name: "Terminal", targets: ["Terminal"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/swhitty/FlyingFox", exact: "0.27.1"),
        .package(url: "https://github.com/LebJe/TOMLKit", exact: "0.6.0"),
        // HMAC-SHA256 for the audit chain's signatures (no hand-written cryptography beyond the legacy SHA-256).
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
    ],
    targets: [
        .systemLibrary(
            name: "CNcursesw",
            pkgConfig: "ncursesw",
            providers: [.apt(["libncurses-dev"])]
        ),
        .target(
            name: "BatchKit",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                // The SQLite C API, for the store's per-row hot path (same pinned package).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "BatchEmulator",
            dependencies: [
                .product(name: "FlyingFox", package: "FlyingFox"),
                .product(name: "FlyingSocks", package: "FlyingFox"),
            ]
        ),
        .target(
            name: "Dashboard",
            dependencies: ["BatchKit", .product(name: "TOMLKit", package: "TOMLKit")]
        ),
        .target(name: "Terminal", dependencies: ["CNcursesw", "Dashboard"]),
        .executableTarget(
            name: "batchtop",
            dependencies: [
                "BatchKit", "BatchEmulator", "Dashboard", "Terminal",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Benchmarks are executables that print figures; never timed assertions in tests.
        .executableTarget(name: "UsageIngestBench", dependencies: ["BatchKit"], path: "Benchmarks/UsageIngestBench"),
        .executableTarget(name: "ValidateBench", dependencies: ["BatchKit"], path: "Benchmarks/ValidateBench"),
        .executableTarget(
            name: "DashboardBench",
            dependencies: ["Dashboard", "BatchKit"],
            path: "Benchmarks/DashboardBench"
        ),
        .executableTarget(
            name: "APIStreamingBenchmark",
            dependencies: ["BatchKit", .product(name: "FlyingFox", package: "FlyingFox")],
            path: "Benchmarks/APIStreamingBenchmark"
        ),
        .target(name: "TestSupport", dependencies: ["BatchKit", "BatchEmulator"]),
        // Killed mid-write by the store's crash test; lives with the tests it serves.
        .executableTarget(name: "StoreKillHelper", dependencies: ["BatchKit", "TestSupport"], path: "Tests/StoreKillHelper"),
        .executableTarget(name: "StoreBench", dependencies: ["BatchKit", "TestSupport"], path: "Benchmarks/StoreBench"),
        .executableTarget(name: "SpendBench", dependencies: ["BatchKit", "TestSupport"], path: "Benchmarks/SpendBench"),
        .testTarget(
            name: "BatchKitTests",
            dependencies: [
                "BatchKit", "BatchEmulator", "TestSupport",
                .product(name: "FlyingFox", package: "FlyingFox"),
            ]
        ),
        .executableTarget(name: "EmulatorBench", dependencies: ["BatchEmulator"], path: "Benchmarks/EmulatorBench"),
        .executableTarget(name: "RealtimeBench", dependencies: ["BatchKit", "BatchEmulator"], path: "Benchmarks/RealtimeBench"),
        .testTarget(name: "BatchEmulatorTests", dependencies: ["BatchEmulator", "TestSupport"]),
        .testTarget(
            name: "DashboardTests", dependencies: ["Dashboard", "BatchKit", "TestSupport"],
            exclude: ["__Snapshots__"]
        ),
        .testTarget(name: "TerminalTests", dependencies: ["Terminal", "Dashboard", "BatchKit"]),
        .testTarget(name: "RuntimeTests", dependencies: ["batchtop", "Dashboard", "Terminal", "BatchKit"]),
        .testTarget(name: "EndToEndTests", dependencies: ["TestSupport"]),
        // Reads Sources/ and docs/ARCHITECTURE.md only: keeps the module table true.
        .testTarget(name: "ArchitectureTests"),
    ],
    swiftLanguageModes: [.v6]
)
