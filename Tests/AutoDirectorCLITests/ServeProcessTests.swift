import AsyncHTTPClient
import AutoDirectorCore
import Foundation
import NIOCore
import Testing

/// The real `autodirector serve` process: an acknowledged review survives kill -9, and SIGTERM
/// exits 0 promptly.
@Suite struct ServeProcessTests {
    /// Starts `serve` on an ephemeral port and returns the process and its base URL, read from
    /// its log line on stderr.
    static func start(project: String) async throws -> (Process, ProcessExit, String) {
        let process = Process()
        let exit = ProcessExit(process)
        process.executableURL = CrashRecoveryTests.binary
        process.arguments = ["serve", "--project", project, "--port", "0"]
        let log = Pipe()
        process.standardError = log
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let lines = AsyncStream<String> { continuation in
            log.fileHandleForReading.readabilityHandler = { handle in
                let data = handle.availableData
                if data.isEmpty {
                    handle.readabilityHandler = nil
                    continuation.finish()
                } else {
                    continuation.yield(String(decoding: data, as: UTF8.self))
                }
            }
        }
        var seen = ""
        for await chunk in lines {
            seen += chunk
            if let range = seen.range(of: #"listening on http://127\.0\.0\.1:\d+"#, options: .regularExpression) {
                let url = String(seen[range].dropFirst("listening on ".count))
                return (process, exit, url)
            }
        }
        throw CLIFailure("serve did not start: \(seen)")
    }

    struct CLIFailure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    static func post(_ client: HTTPClient, _ url: String, _ body: String? = nil, multipart: (boundary: String, body: String)? = nil) async throws -> Int {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        if let body {
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        if let multipart {
            request.headers.add(name: "content-type", value: "multipart/form-data; boundary=\(multipart.boundary)")
            request.body = .bytes(ByteBuffer(string: multipart.body))
        }
        let response = try await client.execute(request, timeout: .seconds(30))
        _ = try await response.body.collect(upTo: 1 << 20)
        return Int(response.status.code)
    }

    @Test func anAcknowledgedReviewSurvivesKillNineAndSigtermExitsZero() async throws {
        #expect(FileManager.default.isExecutableFile(atPath: CrashRecoveryTests.binary.path), "build the autodirector product first")
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("adserveproc-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let project = root.appendingPathComponent("project").path
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            var (process, exit, base) = try await Self.start(project: project)
            let boundary = "b0undary"
            let csv = "sku,product_name,category,material,finish\nPROD-001,Wireless Headphones,electronics,plastic,glossy\n"
            let upload = "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"products.csv\"\r\n\r\n\(csv)\r\n--\(boundary)--\r\n"
            #expect(try await Self.post(client, base + "/ingest/csv", multipart: (boundary, upload)) == 200)
            #expect(try await Self.post(client, base + "/plan?batch_id=products") == 200)
            #expect(try await Self.post(client, base + "/render/sync", "{}") == 200)
            #expect(try await Self.post(client, base + "/shots/PROD-001/approve", #"{"note":"ship it"}"#) == 200)
            // Acknowledged: now the process dies without a chance to flush anything.
            kill(process.processIdentifier, SIGKILL)
            await exit.wait()
            let version = try await Blocking.run {
                try Engine(projectDirectory: URL(fileURLWithPath: project), mode: .existing).version(of: "PROD-001")
            }
            #expect(version.review == .approved && version.reviewNote == "ship it")

            (process, exit, base) = try await Self.start(project: project)
            kill(process.processIdentifier, SIGTERM)
            #expect(await exit.wait(seconds: 10, killing: process), "SIGTERM did not stop serve within 10 s")
            #expect(process.terminationReason == .exit && process.terminationStatus == 0)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }
}
