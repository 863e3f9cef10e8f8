import AutoDirectorCore
import Hummingbird
import NIOCore
import NIOHTTP1

/// Reads request bodies within `--body-timeout`, with the HTTP decoder's errors as the statuses
/// they are: a client trickling a body holds no connection (nor SIGTERM) past the deadline, and
/// malformed framing is the client's error (400), not a body "too large".
struct BodyReader: Sendable {
    let timeout: Duration

    /// `read` consumes `body`; 408 when it is not done within the deadline. The read runs in a
    /// child task so that the deadline can cancel it: a cancelled read ends the connection's
    /// inbound stream, so the 408 is the last answer on that connection.
    func read<T: Sendable>(_ body: RequestBody, _ read: @escaping @Sendable (RequestBody) async throws -> T) async throws -> T {
        let timeout = self.timeout
        do {
            return try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask { try await read(body) }
                group.addTask {
                    // nil: the deadline passed, or (cancelled) the read ended first or the service stops.
                    try? await Task.sleep(for: timeout)
                    return nil
                }
                defer { group.cancelAll() }
                if let first = try await group.next(), let value = first { return value }
                try Task.checkCancellation()
                throw APIError(
                    .requestTimeout, "The request body did not arrive within \(Self.seconds(timeout)) s (--body-timeout); send it in one go, or a smaller one.",
                    headers: [.connection: "close"])
            }
        } catch {
            throw Self.httpError(error)
        }
    }

    /// What went wrong while a body was read, as an answer: the decoder's errors are the client's.
    static func httpError(_ error: any Error) -> any Error {
        guard let error = error as? HTTPParserError else { return error }
        let what: String
        switch error {
        case .invalidChunkSize: what = "a chunk size is not a hexadecimal number, or a chunk is not followed by CRLF"
        case .headerOverflow: what = "its chunk extensions or trailer fields are larger than the decoder accepts"
        case .invalidEOFState: what = "the connection ended before the body did"
        case .invalidContentLength, .unexpectedContentLength: what = "its Content-Length does not match its framing"
        case .invalidHeaderToken, .invalidCharactersUsed, .lfExpected, .invalidConstant: what = "its chunked framing or trailer fields hold characters HTTP does not allow there"
        default: what = "its framing cannot be read (\(error))"
        }
        return APIError(.badRequest, "The request body is malformed: \(what).", headers: [.connection: "close"])
    }

    static func seconds(_ duration: Duration) -> String {
        let value = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }
}
