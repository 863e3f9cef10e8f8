import AutoDirectorCore
import Foundation
import Hummingbird
import MultipartKit
import NIOCore

/// A multipart/form-data upload streamed to disk as it arrives (never held in memory whole):
/// the named field's bytes go to a new file in a directory of its own under `uploads/`, named
/// after the client's file name reduced to safe characters (the batch id comes from it).
enum Upload {
    /// The named field's file, received within `reader`'s deadline and `limit` bytes
    /// (`--max-body-mb`).
    static func receive(_ request: Request, field: String, into uploads: URL, limit: Int, reader: BodyReader) async throws -> URL {
        guard let type = request.headers[.contentType], type.lowercased().hasPrefix("multipart/form-data"),
            let boundary = MultipartHeaders.boundary(of: type)
        else {
            throw APIError.validation(["body", field], "Expected multipart/form-data with a `\(field)` file", type: "missing")
        }
        let tooLarge = APIError(
            .contentTooLarge, "The upload is larger than \(limit >> 20) MiB (--max-body-mb); split the file, or start serve with a larger limit.")
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit { throw tooLarge }
        let directory = uploads.appendingPathComponent(UUID().uuidString, isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        do {
            return try await reader.read(request.body) { body in
                let sink = Sink(field: field, directory: directory)
                let parser = MultipartParser(boundary: boundary)
                parser.onHeader = { name, value in sink.header(name, value) }
                parser.onBody = { buffer in sink.body(&buffer) }
                parser.onPartComplete = { sink.partComplete() }
                var received = 0
                for try await chunk in body {
                    received += chunk.readableBytes
                    guard received <= limit else { throw tooLarge }
                    do { try parser.execute(chunk) } catch {
                        throw APIError.validation(["body"], "The multipart body cannot be read: \(APIError.sentence(String(describing: error), limit: 200))", type: "value_error")
                    }
                    if let failure = sink.failure { throw failure }
                }
                guard let file = sink.completed else {
                    throw APIError.validation(["body", field], "Field required: a `\(field)` part with the file", type: "missing")
                }
                return file
            }
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
    }

    /// Collects the parser's callbacks; used only from the request's task (never shared).
    private final class Sink {
        let field: String
        let directory: URL
        private var headers: [(String, String)] = []
        private var handle: FileHandle?
        private var url: URL?
        private(set) var completed: URL?
        private(set) var failure: APIError?

        init(field: String, directory: URL) {
            self.field = field
            self.directory = directory
        }

        func header(_ name: String, _ value: String) { headers.append((name, value)) }

        func body(_ buffer: inout ByteBuffer) {
            guard failure == nil else { return }
            if handle == nil && url == nil {
                guard let disposition = headers.first(where: { $0.0.lowercased() == "content-disposition" })?.1,
                    MultipartHeaders.parameter("name", in: disposition) == field, completed == nil
                else {
                    url = URL(fileURLWithPath: "/dev/null")  // another field: skipped
                    return
                }
                let file = directory.appendingPathComponent(MultipartHeaders.safeFileName(MultipartHeaders.parameter("filename", in: disposition)))
                guard FileManager.default.createFile(atPath: file.path, contents: nil), let opened = try? FileHandle(forWritingTo: file) else {
                    failure = APIError(.internalServerError, "The upload cannot be stored in the project.")
                    return
                }
                (handle, url) = (opened, file)
            }
            guard let handle else { return }
            let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
            do { try handle.write(contentsOf: bytes) } catch { failure = APIError(.internalServerError, "The upload cannot be stored in the project.") }
        }

        func partComplete() {
            if let handle, let url {
                try? handle.close()
                completed = completed ?? url
            } else if url == nil, completed == nil {
                // The field was there but empty: still a file (ingest says it has no rows).
                if let disposition = headers.first(where: { $0.0.lowercased() == "content-disposition" })?.1, MultipartHeaders.parameter("name", in: disposition) == field {
                    let file = directory.appendingPathComponent(MultipartHeaders.safeFileName(MultipartHeaders.parameter("filename", in: disposition)))
                    if FileManager.default.createFile(atPath: file.path, contents: nil) { completed = file }
                }
            }
            (handle, url, headers) = (nil, nil, [])
        }
    }
}
