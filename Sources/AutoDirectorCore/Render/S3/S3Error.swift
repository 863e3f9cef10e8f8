import Foundation

/// An S3 request that failed: what was asked (the operation and `s3://bucket/key`), where
/// (the endpoint), and why (HTTP status and S3's error Code and Message, or the network error),
/// with what to do for the usual causes. Never holds the secret key or the session token.
public struct S3Error: Error, Sendable, CustomStringConvertible {
    public var message: String
    /// S3's error Code (`NoSuchBucket`, `AccessDenied`, …), when the answer had one.
    public var code: String?
    /// The HTTP status, when there was an answer.
    public var status: Int?

    public init(message: String, code: String? = nil, status: Int? = nil) {
        self.message = message
        self.code = code
        self.status = status
    }

    public var description: String { "S3: \(message)" + (message.hasSuffix(".") ? "" : ".") }

    /// What a user does about an error Code.
    static func hint(code: String?, status: Int) -> String? {
        switch code {
        case "NoSuchBucket": return "create the bucket, or name another in AUTODIRECTOR_ARTIFACTS"
        case "InvalidAccessKeyId", "SignatureDoesNotMatch": return "check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
        case "ExpiredToken", "InvalidToken", "TokenRefreshRequired": return "renew the temporary credentials (AWS_SESSION_TOKEN)"
        case "AccessDenied", "AllAccessDisabled": return "the credentials may not use this bucket or prefix"
        case "AuthorizationHeaderMalformed", "PermanentRedirect", "IllegalLocationConstraintException":
            return "set AWS_REGION to the bucket's region"
        case "RequestTimeTooSkewed": return "this machine's clock is wrong"
        default:
            switch status {
            case 301: return "set AWS_REGION to the bucket's region"
            case 403: return "check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and the bucket's permissions"
            default: return nil
            }
        }
    }
}

/// The `<Error><Code>…</Code><Message>…</Message></Error>` body of an S3 error answer. Only these
/// two are read: the rest (a SignatureDoesNotMatch answer quotes the whole canonical request,
/// session token included) is never shown.
enum S3ErrorBody {
    static func parse(_ body: [UInt8]) -> (code: String?, message: String?) {
        let text = String(decoding: body.prefix(64 * 1024), as: UTF8.self)
        return (element("Code", in: text), element("Message", in: text))
    }

    private static func element(_ name: String, in text: String) -> String? {
        guard let start = text.range(of: "<\(name)>"), let end = text.range(of: "</\(name)>", range: start.upperBound..<text.endIndex) else {
            return nil
        }
        let value = String(text[start.upperBound..<end.lowerBound])
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
        return value.isEmpty ? nil : String(value.prefix(300))
    }
}
