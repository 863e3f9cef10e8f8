import AutoDirectorCore
import Foundation
import Hummingbird
import MultipartKit
import NIOCore

/// A multipart/form-data upload streamed to disk as it arrives (never held in memory whole):
/// the named field's bytes go to a new file in a directory of its own under `uploads/`, named
/// after the client's file name reduced to safe characters (the batch id comes from it).
enum Upload {
    static func receive(_ request: Request, field: String, into uploads: URL, limit: Int) async throws -> URL {
        guard let type = request.headers[.contentType], type.lowercased().hasPrefix("multipart/form-data"),
            let boundary = boundary(of: type)
        else {
            throw APIError.validation(["body", field], "Expected multipart/form-data with a `\(field)` file", type: "missing")
        }
        let directory = uploads.appendingPathComponent(UUID().uuidString, isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        do {
            let sink = Sink(field: field, directory: directory)
            let parser = MultipartParser(boundary: boundary)
            parser.onHeader = { name, value in sink.header(name, value) }
            parser.onBody = { buffer in sink.body(&buffer) }
            parser.onPartComplete = { sink.partComplete() }
            var received = 0
            for try await chunk in request.body {
                received += chunk.readableBytes
                guard received <= limit else { throw APIError(.contentTooLarge, "The upload is larger than \(limit) bytes.") }
                do { try parser.execute(chunk) } catch {
                    throw APIError.validation(["body"], "The multipart body cannot be read: \(TextSanitizer.visible(String(describing: error), limit: 200))", type: "value_error")
                }
                if let failure = sink.failure { throw failure }
            }
            guard let file = sink.completed else {
                throw APIError.validation(["body", field], "Field required: a `\(field)` part with the file", type: "missing")
            }
            return file
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
    }

    static func boundary(of contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let parts = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2, parts[0].lowercased() == "boundary" {
                let value = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                return value.isEmpty || value.count > 200 ? nil : value
            }
        }
        return nil
    }

    /// The client's file name as a safe one: the last path component, letters, digits, `.`,
    /// `_` and `-` only, with a readable extension; else `upload.csv`.
    static func safeName(_ name: String?) -> String {
        let last = (name ?? "").split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let kept = String(last.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) && $0.isASCII || "._-".unicodeScalars.contains($0) }.map(Character.init))
        let lower = kept.lowercased()
        guard !kept.hasPrefix("."), kept.count <= 100, [".csv", ".json", ".jsonl"].contains(where: { lower.hasSuffix($0) }), kept.count > 4 else {
            return "upload.csv"
        }
        return kept
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
                    Self.parameter("name", of: disposition) == field, completed == nil
                else {
                    url = URL(fileURLWithPath: "/dev/null")  // another field: skipped
                    return
                }
                let file = directory.appendingPathComponent(Upload.safeName(Self.parameter("filename", of: disposition)))
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
                if let disposition = headers.first(where: { $0.0.lowercased() == "content-disposition" })?.1, Self.parameter("name", of: disposition) == field {
                    let file = directory.appendingPathComponent(Upload.safeName(Self.parameter("filename", of: disposition)))
                    if FileManager.default.createFile(atPath: file.path, contents: nil) { completed = file }
                }
            }
            (handle, url, headers) = (nil, nil, [])
        }

        static func parameter(_ name: String, of disposition: String) -> String? {
            for part in disposition.split(separator: ";").dropFirst() {
                let pieces = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if pieces.count == 2, pieces[0].lowercased() == name {
                    return pieces[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                }
            }
            return nil
        }
    }
}
