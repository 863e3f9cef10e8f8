import Foundation

/// What an exported picture says of itself (SPEC §18): the spec hash and seed that made it, the
/// provider, model and request that rendered it, when, and the structured prompt sent. It
/// travels in the PNG as one `iTXt` chunk of canonical JSON (RFC 8785), so the same project
/// state exports the same bytes; `manifest.json` records its SHA-256 for `verify`.
public enum ImageProvenance {
    /// The chunk's keyword.
    public static let keyword = "autodirector:provenance"

    /// The provenance of one exported version's picture.
    /// `asked`: the generation parameters of the spec, for a render whose provider recorded no model.
    static func object(of version: ExportedVersion, image: ExportedImage, asked: GenerationParameters, prompt: JSONObject) -> JSONObject {
        let meta = image.providerMeta.flatMap { try? JSONParser.parse($0, maxDepth: JSONDepth.storedLimit) }
        let model = meta?["model"]?.stringValue ?? asked.model.rawValue
        return [
            "generator": "autodirector",
            "shot_id": .string(version.shotID), "version": .number(Double(version.number)),
            "spec_hash": .string(version.hash), "seed": .number(Double(version.seed)),
            "provider": .string(image.provider), "model": .string(model),
            "request_id": meta?["request_id"]?.stringValue.map(JSONValue.string) ?? .null,
            "rendered_at": image.renderedAt.map { .string(Timestamp.milliseconds($0)) } ?? .null,
            "structured_prompt": .object(prompt),
        ]
    }

    /// The structured prompt a render sent, as its provider recorded it; nil when it recorded
    /// none (the mock keeps one metadata text per look), and the spec must be compiled.
    static func sentPrompt(recordedIn image: ExportedImage) -> JSONObject? {
        image.compiledPrompt.flatMap { try? JSONParser.parse($0, maxDepth: JSONDepth.storedLimit).objectValue }
    }

    /// The PNG's bytes with the provenance in them, and the provenance's text.
    static func embed(_ provenance: JSONObject, in png: [UInt8]) throws -> (png: [UInt8], text: String) {
        let text = try CanonicalJSON.string(.object(provenance))
        return (try PNGTextChunk.inserting(text, keyword: keyword, into: png), text)
    }

    /// The provenance a PNG carries, read whole; a picture is untrusted input.
    public static func read(_ bytes: [UInt8]) -> PNGTextScanner.Finding {
        var scanner = PNGTextScanner(keyword: keyword)
        scanner.feed(bytes)
        return scanner.finding
    }

    /// A provenance text as a JSON object; nil when it is not one.
    public static func parse(_ text: String) -> JSONValue? {
        guard let value = try? JSONParser.parse(text, maxDepth: JSONDepth.storedLimit), value.objectValue != nil else { return nil }
        return value
    }

    /// The provenance's fields in the order `inspect` prints them.
    public static let fieldOrder = ["shot_id", "version", "spec_hash", "seed", "provider", "model", "request_id", "rendered_at", "generator"]
}

extension ImageProvenance {
    /// The provenance of the picture at `url`, read a megabyte at a time (a picture of any size
    /// is never held whole); a missing or unreadable file throws with the reason.
    public static func read(fileAt url: URL) throws -> PNGTextScanner.Finding {
        let handle: FileHandle
        do { handle = try FileHandle(forReadingFrom: url) } catch {
            throw ProvenanceError(message: "\(TextSanitizer.visible(url.path, limit: 300)) cannot be read (\(FileErrorText.reason(error)))")
        }
        defer { try? handle.close() }
        var scanner = PNGTextScanner(keyword: keyword)
        while true {
            let piece: Data?
            do { piece = try handle.read(upToCount: 1 << 20) } catch {
                throw ProvenanceError(message: "\(TextSanitizer.visible(url.path, limit: 300)) cannot be read (\(FileErrorText.reason(error)))")
            }
            guard let piece, !piece.isEmpty else { break }
            scanner.feed(piece)
        }
        return scanner.finding
    }
}

public struct ProvenanceError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
