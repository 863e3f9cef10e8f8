import Foundation

/// Where a shared project's images are in S3-compatible object storage:
/// `AUTODIRECTOR_ARTIFACTS=s3://BUCKET[/PREFIX]` (or `--artifacts`), with the endpoint, region and
/// keys from the variables the AWS tools read:
///
/// - `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` (required), `AWS_SESSION_TOKEN` (temporary
///   credentials);
/// - `AWS_REGION`, else `AWS_DEFAULT_REGION`, else `us-east-1`;
/// - `AWS_ENDPOINT_URL_S3`, else `AWS_ENDPOINT_URL`: another S3-compatible service (MinIO, Ceph,
///   R2, moto), addressed path-style (`ENDPOINT/BUCKET/KEY`). Without one, AWS itself,
///   virtual-hosted (`https://BUCKET.s3.REGION.amazonaws.com/KEY`; path-style for a bucket name
///   with a dot, which a virtual host's certificate does not cover).
///
/// An image `artifacts/XX/DIGEST.EXT` is the object `PREFIX/XX/DIGEST.EXT`, the layout of a shared
/// directory. Nothing here holds or prints the secret key or the session token (`description`
/// names the bucket, prefix, endpoint and region only).
public struct S3Configuration: Sendable, CustomStringConvertible {
    public let bucket: String
    /// Without leading or trailing slashes; empty for the bucket's top level.
    public let prefix: String
    public let region: String
    /// A non-AWS endpoint (`http(s)://HOST[:PORT]`), addressed path-style; nil for AWS.
    public let endpoint: URL?
    public let credentials: S3Credentials

    public init(bucket: String, prefix: String = "", region: String = "us-east-1", endpoint: URL? = nil, credentials: S3Credentials) {
        self.bucket = bucket
        self.prefix = prefix
        self.region = region
        self.endpoint = endpoint
        self.credentials = credentials
    }

    /// Parses `s3://BUCKET[/PREFIX]` and reads the rest from `environment`. `source` names where
    /// the value came from (`--artifacts`, `AUTODIRECTOR_ARTIFACTS`) in every error.
    public init(_ text: String, environment: [String: String], source: String = "AUTODIRECTOR_ARTIFACTS") throws {
        func fail(_ message: String) -> ArtifactError { ArtifactError(message: "\(source): \(message)") }
        guard text.lowercased().hasPrefix("s3://") else { throw fail("\(TextSanitizer.quoted(text)) does not start with s3://") }
        let rest = text.dropFirst("s3://".count)
        // Keys in the URL would be printed wherever the URL is; they belong in the AWS_* variables.
        // No bucket name or prefix here holds an @, and a secret key may hold a /: any @ is refused,
        // and nothing of the value is repeated.
        if rest.contains("@") {
            throw fail("the s3:// URL holds user information (keys?); give them as AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY instead")
        }
        guard !rest.contains("?"), !rest.contains("#") else {
            throw fail("s3://BUCKET/PREFIX takes no query or fragment; the endpoint and region come from AWS_ENDPOINT_URL_S3 and AWS_REGION")
        }
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let bucket = String(rest[..<slash])
        if let problem = Self.bucketNameProblem(bucket) {
            throw fail("\(TextSanitizer.quoted(bucket)) is not a valid S3 bucket name: \(problem)")
        }
        let prefix = String(rest[slash...]).trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        if let problem = Self.prefixProblem(prefix) { throw fail("the prefix \(TextSanitizer.quoted(prefix)) \(problem)") }

        func value(_ name: String) -> String? {
            environment[name].map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        let missing = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"].filter { value($0) == nil }
        if !missing.isEmpty {
            throw fail(
                "images in s3://\(bucket) need \(missing.joined(separator: " and ")) in the environment "
                    + "(with AWS_SESSION_TOKEN for temporary credentials); nothing was sent")
        }
        let keyID = value("AWS_ACCESS_KEY_ID")!
        let secret = value("AWS_SECRET_ACCESS_KEY")!
        let token = value("AWS_SESSION_TOKEN")
        // They go into a header: a control character would split it (and is never part of a key).
        guard keyID.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
            throw fail("AWS_ACCESS_KEY_ID holds spaces or characters an access key never has")
        }
        guard secret.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
            throw fail("AWS_SECRET_ACCESS_KEY holds spaces or characters a secret key never has (its value is not shown)")
        }
        if let token, !token.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) {
            throw fail("AWS_SESSION_TOKEN holds spaces or characters a session token never has (its value is not shown)")
        }
        let regionSource = value("AWS_REGION") != nil ? "AWS_REGION" : "AWS_DEFAULT_REGION"
        let region = value("AWS_REGION") ?? value("AWS_DEFAULT_REGION") ?? "us-east-1"
        guard region.count <= 64, region.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }) else {
            throw fail("\(regionSource) \(TextSanitizer.quoted(region)) is not a region name (such as us-east-1)")
        }
        var endpoint: URL?
        if let name = ["AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"].first(where: { value($0) != nil }) {
            endpoint = try Self.endpoint(value(name)!, variable: name, fail: fail)
        }
        self.init(
            bucket: bucket, prefix: prefix, region: region, endpoint: endpoint,
            credentials: S3Credentials(accessKeyID: keyID, secretAccessKey: secret, sessionToken: token))
    }

    /// `s3://bucket/prefix (endpoint …, region …)`, for `health` and messages.
    public var description: String {
        "\(url) (endpoint \(endpoint.map(\.absoluteString) ?? "AWS"), region \(region))"
    }

    /// `s3://bucket/prefix`.
    public var url: String { "s3://\(bucket)" + (prefix.isEmpty ? "" : "/\(prefix)") }

    /// The object key of a name inside the prefix (`XX/DIGEST.EXT`).
    public func key(_ name: String) -> String { prefix.isEmpty ? name : "\(prefix)/\(name)" }

    /// Where an object is: path-style on a custom endpoint (and for a bucket name with a dot),
    /// virtual-hosted on AWS.
    /// The bucket itself for an empty key.
    public func objectURL(key: String) -> URL {
        let path = key.isEmpty ? "" : "/" + SigV4Signer.encode(key, keepingSlashes: true)
        if let endpoint {
            return URL(string: endpoint.absoluteString + "/\(bucket)\(path)")!
        }
        if bucket.contains(".") {
            return URL(string: "https://s3.\(region).amazonaws.com/\(bucket)\(path)")!
        }
        return URL(string: "https://\(bucket).s3.\(region).amazonaws.com\(path.isEmpty ? "/" : path)")!
    }

    // MARK: Checks

    /// Why `name` is not a bucket name S3 accepts (general purpose buckets), or nil.
    static func bucketNameProblem(_ name: String) -> String? {
        if name.isEmpty { return "s3:// must be followed by a bucket name (s3://BUCKET/PREFIX)" }
        if name.count < 3 || name.count > 63 { return "it must be 3 to 63 characters long" }
        let bytes = Array(name.utf8)
        func isLetterOrDigit(_ byte: UInt8) -> Bool { (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) }
        guard bytes.allSatisfy({ isLetterOrDigit($0) || $0 == 0x2E || $0 == 0x2D }) else {
            return "only lower-case letters, digits, dots and hyphens are allowed"
        }
        guard isLetterOrDigit(bytes.first!), isLetterOrDigit(bytes.last!) else { return "it must begin and end with a letter or a digit" }
        if name.contains("..") { return "it must not hold two dots in a row" }
        let parts = name.split(separator: ".")
        if parts.count == 4, parts.allSatisfy({ UInt8($0) != nil }) { return "it must not look like an IP address" }
        return nil
    }

    /// Why `prefix` cannot be a key prefix here, or nil. Only the characters AWS calls safe in
    /// keys, so that a key is the same in every tool and signs alike.
    static func prefixProblem(_ prefix: String) -> String? {
        if prefix.isEmpty { return nil }
        if prefix.utf8.count > 512 { return "is longer than 512 bytes" }
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!-_.*'()/".utf8)
        guard prefix.utf8.allSatisfy({ safe.contains($0) }) else {
            return "may hold only letters, digits, / and ! - _ . * ' ( )"
        }
        if prefix.split(separator: "/", omittingEmptySubsequences: false).contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) {
            return "must not hold empty, . or .. parts"
        }
        return nil
    }

    private static func endpoint(_ text: String, variable: String, fail: (String) -> ArtifactError) throws -> URL {
        // The URL is shown in `health` and messages: it must not carry a password.
        guard !text.contains("@") else {
            throw fail("\(variable) must not hold user information; give keys as AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
        }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(), ["http", "https"].contains(scheme),
            let host = components.host, !host.isEmpty
        else { throw fail("\(variable) \(TextSanitizer.quoted(text)) is not an http:// or https:// URL") }
        guard components.path.isEmpty || components.path == "/", components.query == nil, components.fragment == nil else {
            throw fail("\(variable) \(TextSanitizer.quoted(text)) must be only a scheme, host and port (such as http://127.0.0.1:9000)")
        }
        var clean = URLComponents()
        clean.scheme = scheme
        clean.host = host
        clean.port = components.port
        guard let url = clean.url else { throw fail("\(variable) \(TextSanitizer.quoted(text)) is not a usable URL") }
        return url
    }
}
