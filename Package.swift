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
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibPNG",
            providers: [.apt(["libpng-dev"])]
        ),
        // Linux calls Glibc's module leaves out (syncfs, mallopt, malloc_trim).
        .systemLibrary(name: "CSystemCalls"),
        .systemLibrary(
            name: "CZlibDeflate",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(
            name: "AutoDirectorCore",
            dependencies: [
                "CLibPNG",
                "CZlibDeflate",
                "CSystemCalls",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // The concurrency model, written down beside the code it governs.
            exclude: ["Concurrency/README.md"]
        ),
        // A stand-in for Bria's API v2 with fault injection: the tests and `bench render
        // --provider bria` run against it in-process, on 127.0.0.1 and an ephemeral port.
        .target(
            name: "FakeBriaServer",
            dependencies: [
                "AutoDirectorCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // A PostgreSQL server of their own for the shared-project tests and benchmarks.
        .target(
            name: "ThrowawayPostgres",
            dependencies: ["AutoDirectorCore"]
        ),
        .systemLibrary(
            name: "CNCursesW",
            providers: [.apt(["libncurses-dev"])]
        ),
        // The terminal UI (SPEC §14): Elm-style state, update and views over a Frame, and a
        // thin ncurses backend.
        .target(
            name: "AutoDirectorTUI",
            dependencies: ["AutoDirectorCore", "CNCursesW"]
        ),
        // `autodirector serve` (SPEC §15): the reference's HTTP API on Hummingbird 2.
        .target(
            name: "AutoDirectorServer",
            dependencies: [
                "AutoDirectorCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // The benchmarks (`autodirector bench …`): the engine's, the TUI's and the service's, each
        // through the same calls a user's actions make. The engine does not link them, nor the
        // fake Bria server and the throwaway PostgreSQL they start.
        .target(
            name: "AutoDirectorBench",
            dependencies: [
                "AutoDirectorCore",
                "AutoDirectorTUI",
                "AutoDirectorServer",
                // `bench render --provider bria`, `bench export --bria-image-size`.
                "FakeBriaServer",
                // `bench shared` starts a PostgreSQL server of its own.
                "ThrowawayPostgres",
                // malloc_trim, between a benchmark's setup and its measured phase.
                "CSystemCalls",
                // `bench serve`'s clients.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .target(
            name: "AutoDirectorCLI",
            dependencies: [
                "AutoDirectorCore",
                "AutoDirectorTUI",
                "AutoDirectorServer",
                "AutoDirectorBench",
                "CSystemCalls",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "autodirector",
            dependencies: ["AutoDirectorCLI"]
        ),
        .testTarget(
            name: "AutoDirectorCoreTests",
            dependencies: ["AutoDirectorCore", "FakeBriaServer", "ThrowawayPostgres"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "AutoDirectorTUITests",
            dependencies: ["AutoDirectorTUI", "AutoDirectorCore", "ThrowawayPostgres"],
            // Golden frames, read by path (see SnapshotTests), not bundled.
            exclude: ["Snapshots"]
        ),
        .testTarget(
            name: "AutoDirectorServerTests",
            dependencies: [
                "AutoDirectorServer", "AutoDirectorCore", "ThrowawayPostgres",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "AutoDirectorCLITests",
            dependencies: [
                "AutoDirectorCLI", "AutoDirectorCore", "AutoDirectorBench", "FakeBriaServer", "ThrowawayPostgres",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
