@testable import FuzzCore
@testable import FuzzServer
import Foundation

/// The service's own request decoding (`Sources/AutoDirectorServer/Decoding`): a JSON body's
/// bytes, the multipart header values an upload is stored by, and the `Transfer-Encoding`
/// verdict. The first byte picks which; the rest is the input. (The HTTP framing itself, chunked
/// included, is NIO's decoder and the multipart stream MultipartKit's: neither builds here.)
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTP(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let selector = bytes.first else { return 0 }
    let input = Array(bytes.dropFirst())
    switch selector % 3 {
    case 0: jsonBody(input)
    case 1: multipartHeaders(String(decoding: input, as: UTF8.self))
    default: transferCoding(String(decoding: input, as: UTF8.self))
    }
    return 0
}

/// Whatever the body, the verdict is the truth about its bytes, and an accepted body is read
/// exactly (never repaired).
func jsonBody(_ input: [UInt8]) {
    let isUTF8 = String(validating: input, as: UTF8.self) != nil
    precondition((JSONBodyDecoding.firstInvalidUTF8(input) == nil) == isUTF8, "the UTF-8 check must agree with the standard library's")
    do {
        let object = try JSONBodyDecoding.object(input)
        precondition(isUTF8, "a body that is not UTF-8 must be refused")
        if !input.isEmpty {
            let parsed = try JSONParser.parse(input)
            precondition(parsed == .object(object), "an accepted body is the object its bytes hold")
            let again = try JSONBodyDecoding.object(Array(JSONWriter.compact(.object(object)).utf8))
            precondition(again == object, "the object written back reads the same")
        }
    } catch JSONBodyDecoding.Failure.notUTF8(let offset) {
        precondition(!isUTF8 && offset < input.count, "only a body that is not UTF-8 is refused as such, at a byte it has")
        precondition(String(validating: input[..<offset], as: UTF8.self) != nil, "everything before the offset is UTF-8")
    } catch JSONBodyDecoding.Failure.notJSON {
        precondition(isUTF8 && (try? JSONParser.parse(input)) == nil, "only text the parser refuses is not JSON")
    } catch JSONBodyDecoding.Failure.notObject(let value) {
        precondition(value.objectValue == nil && (try? JSONParser.parse(input)) == value, "a JSON value that is not an object")
    } catch {
        preconditionFailure("an unexpected error: \(error)")
    }
}

/// A boundary is usable, a parameter value never runs into the next, and the stored file name
/// is a plain name that stays in its directory.
func multipartHeaders(_ text: String) {
    if let boundary = MultipartHeaders.boundary(of: "multipart/form-data; boundary=" + text) {
        precondition((1...200).contains(boundary.count) && !boundary.contains(";"), "a boundary of 1-200 characters, one parameter")
    }
    if let name = MultipartHeaders.parameter("filename", in: "form-data; name=\"file\"; filename=" + text) {
        precondition(!name.contains(";"), "a parameter ends at the next ';'")
    }
    for candidate in [text, MultipartHeaders.parameter("filename", in: "form-data; filename=" + text)] {
        let safe = MultipartHeaders.safeFileName(candidate)
        precondition(!safe.isEmpty && safe.count <= 100 && !safe.hasPrefix("."), "a short name, never hidden or empty")
        precondition(safe.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0)) })
        precondition([".csv", ".json", ".jsonl"].contains(where: { safe.lowercased().hasSuffix($0) }), "a readable extension")
        let directory = URL(fileURLWithPath: "/uploads/x", isDirectory: true)
        precondition(directory.appendingPathComponent(safe).standardizedFileURL.deletingLastPathComponent().path == "/uploads/x", "it stays in its directory")
    }
}

/// Only a body that is plainly chunked (or not coded at all) is read.
func transferCoding(_ text: String) {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    switch TransferCoding.of(lines) {
    case .none:
        precondition(lines.isEmpty)
    case .chunked:
        let codings = lines.joined(separator: ",").split(separator: ",").map { $0.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? "" }
        precondition(codings.filter { !$0.isEmpty }.map { $0.lowercased() } == ["chunked"], "chunked alone")
    case .unsupported(let codings):
        precondition(codings != ["chunked"] && codings.allSatisfy { !$0.isEmpty && $0 == $0.lowercased() }, "what is refused is not plain chunked")
    }
}
