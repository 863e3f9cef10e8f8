import Foundation
import Testing
@testable import AutoDirectorCore

/// `AUTODIRECTOR_ARTIFACTS=s3://…` with the AWS_* variables: what is accepted, what is refused and
/// how, and that the secret key and session token appear in no message.
@Suite struct S3ConfigurationTests {
    static let secret = "SECRETkeyVALUE/never+shown0123456789abcd"
    static let token = "SESSIONtokenVALUEneverShown0123456789"
    static let keys = ["AWS_ACCESS_KEY_ID": "AKIAEXAMPLEKEYID", "AWS_SECRET_ACCESS_KEY": secret, "AWS_SESSION_TOKEN": token]

    private func environment(_ extra: [String: String] = [:]) -> [String: String] {
        Self.keys.merging(extra) { $1 }
    }

    private func expectNoSecret(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!text.contains(Self.secret) && !text.contains(Self.token), "\(text)", sourceLocation: sourceLocation)
    }

    @Test func aBucketAndPrefixOnAWS() throws {
        let chosen = try ArtifactsDirectory.chosen(flag: nil, environment: environment(["AUTODIRECTOR_ARTIFACTS": "s3://studio-images/spring/renders/"]))
        guard case .s3(let configuration) = chosen else {
            Issue.record("not S3: \(String(describing: chosen))")
            return
        }
        #expect(configuration.bucket == "studio-images" && configuration.prefix == "spring/renders" && configuration.region == "us-east-1")
        #expect(configuration.endpoint == nil)
        #expect(configuration.key("ab/cd.png") == "spring/renders/ab/cd.png")
        #expect(configuration.objectURL(key: "spring/ab/cd.png").absoluteString == "https://studio-images.s3.us-east-1.amazonaws.com/spring/ab/cd.png")
        #expect(configuration.description == "s3://studio-images/spring/renders (endpoint AWS, region us-east-1)")
        expectNoSecret(configuration.description)
        expectNoSecret(String(describing: configuration))
        expectNoSecret(String(reflecting: configuration))
        var dumped = ""
        dump(configuration, to: &dumped)
        expectNoSecret(dumped)
    }

    @Test func aCustomEndpointIsPathStyleAndRegionComesFromTheEnvironment() throws {
        let configuration = try S3Configuration(
            "s3://images", environment: environment(["AWS_ENDPOINT_URL": "http://127.0.0.1:9000/", "AWS_DEFAULT_REGION": "eu-west-3"]))
        #expect(configuration.prefix == "" && configuration.region == "eu-west-3")
        #expect(configuration.objectURL(key: "ab/cd.png").absoluteString == "http://127.0.0.1:9000/images/ab/cd.png")
        #expect(configuration.description == "s3://images (endpoint http://127.0.0.1:9000, region eu-west-3)")
        // The S3-specific variable wins, as with the AWS tools; AWS_REGION over AWS_DEFAULT_REGION.
        let specific = try S3Configuration(
            "s3://images/p", environment: environment([
                "AWS_ENDPOINT_URL": "http://127.0.0.1:9000", "AWS_ENDPOINT_URL_S3": "https://minio.studio.lan:9443",
                "AWS_REGION": "us-west-2", "AWS_DEFAULT_REGION": "eu-west-3",
            ]))
        #expect(specific.objectURL(key: "p/x.png").absoluteString == "https://minio.studio.lan:9443/images/p/x.png")
        #expect(specific.region == "us-west-2")
        // A dotted bucket on AWS: path-style (a virtual host's certificate does not cover it).
        let dotted = try S3Configuration("s3://images.studio.example", environment: environment())
        #expect(dotted.objectURL(key: "x.png").absoluteString == "https://s3.us-east-1.amazonaws.com/images.studio.example/x.png")
    }

    @Test(arguments: [
        ("s3://", "bucket name"),
        ("s3://ab", "3 to 63"),
        ("s3://Images", "lower-case"),
        ("s3://my_bucket", "lower-case"),
        ("s3://-images", "begin and end"),
        ("s3://im..ages", "two dots"),
        ("s3://192.168.1.2", "IP address"),
        ("s3://images/a//b", "empty, . or .."),
        ("s3://images/a/../b", "empty, . or .."),
        ("s3://images/a b", "may hold only"),
        ("s3://images/p?region=x", "no query"),
    ])
    func badURLsAreRefusedClearly(_ value: String, _ expected: String) throws {
        let error = try #require(throws: ArtifactError.self) {
            try ArtifactsDirectory.chosen(flag: value, environment: environment())
        }
        #expect(error.description.contains("--artifacts") && error.description.contains(expected), "\(error)")
        expectNoSecret(error.description)
    }

    @Test func missingKeysAreNamed() throws {
        let none = try #require(throws: ArtifactError.self) {
            try ArtifactsDirectory.chosen(flag: nil, environment: ["AUTODIRECTOR_ARTIFACTS": "s3://images/p"])
        }
        #expect(none.description.contains("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY") && none.description.contains("AUTODIRECTOR_ARTIFACTS"))
        let noSecret = try #require(throws: ArtifactError.self) {
            try S3Configuration("s3://images", environment: ["AWS_ACCESS_KEY_ID": "AKIA", "AWS_SECRET_ACCESS_KEY": "  "])
        }
        #expect(noSecret.description.contains("need AWS_SECRET_ACCESS_KEY") && !noSecret.description.contains("AWS_ACCESS_KEY_ID and"))
    }

    @Test func keysAndPasswordsNeverAppearInErrors() throws {
        // Keys in the URL itself are refused without being repeated.
        let inURL = try #require(throws: ArtifactError.self) {
            try S3Configuration("s3://AKIA:\(Self.secret)@images/p", environment: environment())
        }
        #expect(inURL.description.contains("user information"))
        // Not even the part of the secret before its slash.
        #expect(!inURL.description.contains("SECRETkey"))
        expectNoSecret(inURL.description)
        let endpoint = try #require(throws: ArtifactError.self) {
            try S3Configuration("s3://images", environment: environment(["AWS_ENDPOINT_URL_S3": "http://user:\(Self.secret)@127.0.0.1:9000"]))
        }
        #expect(endpoint.description.contains("AWS_ENDPOINT_URL_S3"))
        expectNoSecret(endpoint.description)
        let badSecret = try #require(throws: ArtifactError.self) {
            try S3Configuration("s3://images", environment: environment(["AWS_SECRET_ACCESS_KEY": "two words \(Self.secret)"]))
        }
        #expect(badSecret.description.contains("AWS_SECRET_ACCESS_KEY"))
        expectNoSecret(badSecret.description)
        let badToken = try #require(throws: ArtifactError.self) {
            try S3Configuration("s3://images", environment: environment(["AWS_SESSION_TOKEN": "a\u{1}\(Self.token)"]))
        }
        #expect(badToken.description.contains("AWS_SESSION_TOKEN"))
        expectNoSecret(badToken.description)
        for bad in ["ftp://127.0.0.1", "http://127.0.0.1:9000/base", "not a url"] {
            let error = try #require(throws: ArtifactError.self) {
                try S3Configuration("s3://images", environment: environment(["AWS_ENDPOINT_URL_S3": bad]))
            }
            #expect(error.description.contains("AWS_ENDPOINT_URL_S3"), "\(error)")
        }
        let region = try #require(throws: ArtifactError.self) {
            try S3Configuration("s3://images", environment: environment(["AWS_REGION": "EU West"]))
        }
        #expect(region.description.contains("AWS_REGION"))
    }

    /// What the network sends back is cleaned of both secrets before it is shown.
    @Test func redactionRemovesBothSecrets() {
        let credentials = S3Credentials(accessKeyID: "AKIA", secretAccessKey: Self.secret, sessionToken: Self.token)
        let text = credentials.redact("<CanonicalRequest>x-amz-security-token:\(Self.token)</CanonicalRequest> \(Self.secret)")
        expectNoSecret(text)
        #expect(text.contains("<redacted>"))
    }

    @Test func errorBodiesGiveOnlyTheirCodeAndMessage() {
        let body = Array("""
            <?xml version="1.0" encoding="UTF-8"?>
            <Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist &amp; never did</Message>\
            <BucketName>images</BucketName></Error>
            """.utf8)
        let parsed = S3ErrorBody.parse(body)
        #expect(parsed.code == "NoSuchBucket" && parsed.message == "The specified bucket does not exist & never did")
        #expect(S3ErrorBody.parse([]).code == nil)
        #expect(S3Error.hint(code: "NoSuchBucket", status: 404)?.contains("create the bucket") == true)
    }
}
