import AutoDirectorCore
import Foundation

/// A JSON request body as the service reads it, once its bytes are in: UTF-8 and nothing else
/// (RFC 8259 §8.1; a body is never repaired, so what is stored is what was sent), one JSON value
/// within the parser's depth limit, and an object. It knows nothing of HTTP, so that
/// `scripts/fuzz` feeds it hostile bytes directly (`Fuzz/HTTPFuzz.swift`).
enum JSONBodyDecoding {
    enum Failure: Error, Equatable {
        /// The body is not UTF-8: the first bad byte is at `offset`.
        case notUTF8(offset: Int)
        case notJSON(JSONParseError)
        case notObject(JSONValue)
    }

    /// The body as a JSON object; an empty body is `{}`.
    static func object(_ bytes: [UInt8]) throws(Failure) -> JSONObject {
        if bytes.isEmpty { return [:] }
        if let offset = firstInvalidUTF8(bytes) { throw .notUTF8(offset: offset) }
        let value: JSONValue
        do { value = try JSONParser.parse(bytes) } catch let error as JSONParseError {
            throw .notJSON(error)
        } catch {
            throw .notJSON(JSONParseError(message: String(describing: error), line: 1, column: 1, offset: 0))
        }
        guard case .object(let object) = value else { throw .notObject(value) }
        return object
    }

    /// The offset of the first byte that does not belong to a well-formed UTF-8 sequence (an
    /// overlong form, a surrogate, a stray continuation byte, a cut sequence), or nil.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar): offset += scalar.count
            case .error: return offset
            case .emptyInput: return nil
            }
        }
    }
}
