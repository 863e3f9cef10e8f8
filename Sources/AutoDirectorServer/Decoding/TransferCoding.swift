import Foundation

/// The request's `Transfer-Encoding`, judged before its body is read. HTTP/1.1's decoder only
/// undoes `chunked`; a body sent in any other coding (gzip, compress, deflate, or chunked over
/// gzip) would reach the handlers still coded, so it is refused with 501 as RFC 9112 §6.1 asks
/// of a coding the server does not understand, instead of failing later as a body "too large".
enum TransferCoding: Equatable {
    /// No `Transfer-Encoding`: the body, if any, has a `Content-Length`.
    case none
    case chunked
    /// The codings as sent, lower-cased, for the error message.
    case unsupported([String])

    /// `values`: every `Transfer-Encoding` field line of the request.
    static func of(_ values: [String]) -> TransferCoding {
        if values.isEmpty { return .none }
        let codings = values.flatMap { $0.split(separator: ",") }
            .map { $0.split(separator: ";", maxSplits: 1).first.map(String.init) ?? "" }
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            .filter { !$0.isEmpty }
        return codings == ["chunked"] ? .chunked : .unsupported(codings)
    }
}
