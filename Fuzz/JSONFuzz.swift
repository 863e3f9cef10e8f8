@testable import FuzzCore

/// JSON parser and RFC 8785 writer: whatever parses has a canonical form that parses back to
/// the same value and the same canonical bytes; the readable writers parse back too.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let value = try? JSONParser.parse(bytes) else { return 0 }
    do {
        let canonical = try CanonicalJSON.bytes(value)
        let reparsed = try JSONParser.parse(canonical)
        precondition(reparsed == value, "the canonical form must parse back to the same value")
        let again = try CanonicalJSON.bytes(reparsed)
        precondition(again == canonical, "canon(parse(canon(x))) must equal canon(x)")
        for text in [JSONWriter.compact(value), JSONWriter.pretty(value), TextSanitizer.escapingInvisiblesInJSON(JSONWriter.pretty(value))] {
            let read = try JSONParser.parse(text)
            precondition(read == value, "the compact and readable forms must parse back to the same value")
        }
    } catch {
        preconditionFailure("a parsed value must write and read back: \(error)")
    }
    return 0
}
