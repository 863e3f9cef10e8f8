// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "AutoDirector",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "autodirector", targets: ["autodirector"]),
        .library(name: "AutoDirectorCore", targets: ["AutoDirectorCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibPNG",
            providers: [.apt(["libpng-dev"])]
        ),
        .target(
            name: "AutoDirectorCore",
            dependencies: [
                "CLibPNG",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        .target(
            name: "AutoDirectorCLI",
            dependencies: [
                "AutoDirectorCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "autodirector",
            dependencies: ["AutoDirectorCLI"]
        ),
        .testTarget(
            name: "AutoDirectorCoreTests",
            dependencies: ["AutoDirectorCore"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "AutoDirectorCLITests",
            dependencies: ["AutoDirectorCLI", "AutoDirectorCore"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
