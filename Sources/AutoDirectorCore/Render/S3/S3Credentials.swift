import Foundation

/// The keys requests to S3 are signed with (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, and
/// `AWS_SESSION_TOKEN` for temporary credentials). The secret key only ever enters an HMAC and
/// the session token only its request header: neither has a printable form (descriptions,
/// `dump` and string interpolation show "<redacted>"), and `redact` removes both from any text
/// that came back from the network before it is shown.
public struct S3Credentials: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Not a secret (AWS prints it in error answers), but not needed in messages either.
    public let accessKeyID: String
    let secretAccessKey: String
    let sessionToken: String?

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }

    public var description: String { "S3Credentials(access key \(accessKeyID), secret <redacted>\(sessionToken == nil ? "" : ", session token <redacted>"))" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["accessKeyID": accessKeyID], displayStyle: .struct) }

    /// `text` with the secret key and the session token replaced wherever they occur (an S3
    /// error answer may quote the canonical request, which holds the session token).
    public func redact(_ text: String) -> String {
        var text = text
        for secret in [secretAccessKey, sessionToken ?? ""] where secret.count >= 4 {
            text = text.replacingOccurrences(of: secret, with: "<redacted>")
        }
        return text
    }
}
