import Crypto
import Foundation

/// AWS Signature Version 4 for a request sent with an `Authorization` header
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html),
/// checked against AWS's published examples (see SigV4SignerTests). Pure: the time is an input.
///
/// The path and query of `url` are put in canonical form (each part percent-decoded, then
/// encoded with only `A-Z a-z 0-9 - . _ ~` left as they are; S3 neither normalizes nor
/// double-encodes the path), and the request must be sent to `SigV4Signature.url`, which carries
/// exactly the path and query that were signed.
public enum SigV4Signer {
    public static let algorithm = "AWS4-HMAC-SHA256"
    /// The SHA-256 of no bytes: the payload hash of a GET or HEAD.
    public static let emptyPayloadSHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    /// Signs `method url` with `headers` (all of them are signed; `host`, `x-amz-date` and, with
    /// a session token, `x-amz-security-token` are added). `payloadSHA256` is the hex SHA-256 of
    /// the body (or `UNSIGNED-PAYLOAD`); S3 also wants it sent as `x-amz-content-sha256`, which
    /// the caller includes in `headers`.
    public static func sign(
        method: String, url: URL, headers: [(name: String, value: String)], payloadSHA256: String, credentials: S3Credentials,
        region: String, service: String, date: Date
    ) throws -> SigV4Signature {
        guard let components = URLComponents(url: url, resolvingAgainstBaseURL: false), let scheme = components.scheme?.lowercased(),
            let host = components.host, !host.isEmpty
        else { throw SigV4Error("cannot sign a request to \(TextSanitizer.quoted(url.absoluteString)): it has no scheme or host") }
        let defaultPort = scheme == "https" ? 443 : 80
        let hostHeader = components.port.map { $0 == defaultPort ? host : "\(host):\($0)" } ?? host
        let path = try canonicalPath(components.percentEncodedPath)
        let query = try canonicalQuery(components.percentEncodedQuery)

        let (amzDate, day) = timestamps(date)
        var all: [(name: String, value: String)] = [("host", hostHeader), ("x-amz-date", amzDate)]
        if let token = credentials.sessionToken { all.append(("x-amz-security-token", token)) }
        for header in headers {
            let name = header.name.lowercased()
            guard !["host", "x-amz-date", "x-amz-security-token", "authorization"].contains(name) else { continue }
            all.append((name, header.value))
        }
        // Names in order; a name given twice has its values joined by commas, in the order given.
        var values: [String: [String]] = [:]
        for header in all { values[header.name, default: []].append(canonicalValue(header.value)) }
        let names = values.keys.sorted()
        let signedHeaders = names.joined(separator: ";")
        let canonicalHeaders = names.map { "\($0):\(values[$0]!.joined(separator: ","))\n" }.joined()

        let canonicalRequest = [method.uppercased(), path, query, canonicalHeaders, signedHeaders, payloadSHA256].joined(separator: "\n")
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = [algorithm, amzDate, scope, hex(SHA256.hash(data: Array(canonicalRequest.utf8)))].joined(separator: "\n")

        var key = SymmetricKey(data: Array(("AWS4" + credentials.secretAccessKey).utf8))
        for part in [day, region, service, "aws4_request"] {
            key = SymmetricKey(data: Array(HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key)))
        }
        let signature = hex(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: key))
        let authorization = "\(algorithm) Credential=\(credentials.accessKeyID)/\(scope),SignedHeaders=\(signedHeaders),Signature=\(signature)"

        var signedURL = components
        signedURL.percentEncodedPath = path
        signedURL.percentEncodedQuery = query.isEmpty ? nil : query
        guard let sendTo = signedURL.url else { throw SigV4Error("cannot build the signed URL for \(TextSanitizer.quoted(url.absoluteString))") }
        return SigV4Signature(
            url: sendTo, headers: all + [("authorization", authorization)], authorization: authorization, signature: signature,
            signedHeaders: signedHeaders, canonicalRequest: canonicalRequest, stringToSign: stringToSign)
    }

    /// `text` percent-encoded the way SigV4 wants: everything but `A-Z a-z 0-9 - . _ ~` (and `/`
    /// when `keepingSlashes`) as `%XX` of its UTF-8 bytes, hex digits in upper case.
    public static func encode(_ text: String, keepingSlashes: Bool = false) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: "/") where keepingSlashes:
                out.append("/")
            default:
                out += "%" + String(hexDigits[Int(byte >> 4)]) + String(hexDigits[Int(byte & 0x0F)])
            }
        }
        return out
    }

    // MARK: Canonical parts

    /// Each segment decoded and encoded again: `/test$file.text` and `/test%24file.text` sign alike.
    static func canonicalPath(_ encodedPath: String) throws -> String {
        if encodedPath.isEmpty { return "/" }
        let segments = try encodedPath.split(separator: "/", omittingEmptySubsequences: false).map { segment -> String in
            guard let decoded = String(segment).removingPercentEncoding else {
                throw SigV4Error("the path \(TextSanitizer.quoted(encodedPath)) is not valid percent-encoding")
            }
            return encode(decoded)
        }
        return segments.joined(separator: "/")
    }

    /// Parameters sorted by encoded name, then value; a parameter without `=` has an empty value.
    static func canonicalQuery(_ encodedQuery: String?) throws -> String {
        guard let encodedQuery, !encodedQuery.isEmpty else { return "" }
        let pairs = try encodedQuery.split(separator: "&").map { item -> (String, String) in
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = String(parts[0]).removingPercentEncoding,
                let value = (parts.count > 1 ? String(parts[1]) : "").removingPercentEncoding
            else { throw SigV4Error("the query \(TextSanitizer.quoted(encodedQuery)) is not valid percent-encoding") }
            return (encode(name), encode(value))
        }
        return pairs.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    /// Leading and trailing spaces removed, runs of spaces inside made one.
    static func canonicalValue(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    /// `20130524T000000Z` and `20130524`, in UTC.
    static func timestamps(_ date: Date) -> (amzDate: String, day: String) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String { let value = value ?? 0; return value < 10 ? "0\(value)" : "\(value)" }
        let day = "\(parts.year ?? 1970)" + two(parts.month) + two(parts.day)
        return (day + "T" + two(parts.hour) + two(parts.minute) + two(parts.second) + "Z", day)
    }

    private static let hexDigits = Array("0123456789ABCDEF")

    private static func hex<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        let digits = Array("0123456789abcdef")
        var out = ""
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return out
    }
}

/// A signed request: where to send it, and every header to send with it (names in lower case).
public struct SigV4Signature: Sendable {
    public var url: URL
    public var headers: [(name: String, value: String)]
    public var authorization: String
    public var signature: String
    public var signedHeaders: String
    /// The intermediate texts, for tests against AWS's worked examples.
    public var canonicalRequest: String
    public var stringToSign: String
}

public struct SigV4Error: Error, Sendable, CustomStringConvertible {
    public var message: String
    init(_ message: String) { self.message = message }
    public var description: String { "S3 request signing: \(message)." }
}
