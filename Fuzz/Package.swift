// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets for batchtop's decoders of outside bytes (Fuzz/README.md).
//
// A separate package, so the main `swift build` / `swift test` (and CI) never build or run them.
// Build and run through scripts/fuzz.sh, which passes `-sanitize=fuzzer,address -parse-as-library`.
// Each target defines `LLVMFuzzerTestOneInput` and a `@main` that hands it to libFuzzer's driver
// (SwiftPM aliases `main` to the target's own entry point, so libFuzzer's `main` cannot be used as is).
let package = Package(
    name: "batchtop-fuzz",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "batchtop", path: ".."),
    ],
    targets: [
        // The prototype of libFuzzer's driver, which each target's @main calls.
        .target(name: "CFuzzDriver"),
        // The driver's entry, a reference JSON parser and check helpers shared by the targets.
        .target(name: "FuzzSupport", dependencies: ["CFuzzDriver"]),
        // A loaded dashboard for the targets that drive the reducer and the renderer.
        .target(
            name: "FuzzFixtures",
            dependencies: [.product(name: "Dashboard", package: "batchtop"), .product(name: "BatchKit", package: "batchtop")]),
        .executableTarget(
            name: "FuzzJSONL",
            dependencies: ["FuzzSupport", .product(name: "BatchKit", package: "batchtop")]),
        .executableTarget(
            name: "FuzzAPI",
            dependencies: [
                "FuzzSupport", .product(name: "BatchKit", package: "batchtop"), .product(name: "Dashboard", package: "batchtop"),
            ]),
        .executableTarget(
            name: "FuzzConfig",
            dependencies: ["FuzzSupport", .product(name: "BatchKit", package: "batchtop")]),
        .executableTarget(
            name: "FuzzTheme",
            dependencies: ["FuzzSupport", "FuzzFixtures", .product(name: "Dashboard", package: "batchtop")]),
        .executableTarget(
            name: "FuzzKeys",
            dependencies: [
                "FuzzSupport", "FuzzFixtures", .product(name: "Terminal", package: "batchtop"),
                .product(name: "Dashboard", package: "batchtop"), .product(name: "BatchKit", package: "batchtop"),
            ]),
    ],
    swiftLanguageModes: [.v6]
)
