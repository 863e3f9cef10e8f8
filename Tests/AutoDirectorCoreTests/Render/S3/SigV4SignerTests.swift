import Foundation
import Testing
@testable import AutoDirectorCore

/// The signer against AWS's published worked examples: the four of the S3 API reference
/// ("Signature Calculations for the Authorization Header: Transferring Payload in a Single Chunk",
/// examplebucket, 20130524T000000Z) and two of the Signature Version 4 test suite
/// (get-vanilla, get-vanilla-query-order-key-case; example.amazonaws.com, 20150830T123600Z).
@Suite struct SigV4SignerTests {
    static let s3Credentials = S3Credentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    static let may24 = Date(timeIntervalSince1970: 1_369_353_600)  // 2013-05-24T00:00:00Z

    private func s3(_ method: String, _ url: String, _ headers: [(name: String, value: String)], payload: String = SigV4Signer.emptyPayloadSHA256)
        throws -> SigV4Signature
    {
        try SigV4Signer.sign(
            method: method, url: URL(string: url)!, headers: [("x-amz-content-sha256", payload)] + headers, payloadSHA256: payload,
            credentials: Self.s3Credentials, region: "us-east-1", service: "s3", date: Self.may24)
    }

    @Test func s3GetObjectExample() throws {
        let signed = try s3("GET", "https://examplebucket.s3.amazonaws.com/test.txt", [("Range", "bytes=0-9")])
        #expect(signed.canonicalRequest == """
            GET
            /test.txt

            host:examplebucket.s3.amazonaws.com
            range:bytes=0-9
            x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            x-amz-date:20130524T000000Z

            host;range;x-amz-content-sha256;x-amz-date
            e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            """)
        #expect(signed.stringToSign == """
            AWS4-HMAC-SHA256
            20130524T000000Z
            20130524/us-east-1/s3/aws4_request
            7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972
            """)
        #expect(signed.signature == "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
        #expect(signed.authorization == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
            + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
            + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    /// A body's hash, a `$` in the key (signed and sent as %24) and a Date header.
    @Test func s3PutObjectExample() throws {
        let body = "Welcome to Amazon S3."
        let payload = SHA256Hex.digest(Array(body.utf8))
        #expect(payload == "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072")
        let signed = try s3(
            "PUT", "https://examplebucket.s3.amazonaws.com/test$file.text",
            [("Date", "Fri, 24 May 2013 00:00:00 GMT"), ("x-amz-storage-class", "REDUCED_REDUNDANCY")], payload: payload)
        #expect(signed.canonicalRequest.hasPrefix("PUT\n/test%24file.text\n\n"))
        #expect(signed.signedHeaders == "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class")
        #expect(signed.signature == "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd")
        #expect(signed.url.absoluteString == "https://examplebucket.s3.amazonaws.com/test%24file.text")
        // Already encoded, the key signs alike.
        let encoded = try s3(
            "PUT", "https://examplebucket.s3.amazonaws.com/test%24file.text",
            [("Date", "Fri, 24 May 2013 00:00:00 GMT"), ("x-amz-storage-class", "REDUCED_REDUNDANCY")], payload: payload)
        #expect(encoded.signature == signed.signature)
    }

    /// A query parameter without a value.
    @Test func s3GetBucketLifecycleExample() throws {
        let signed = try s3("GET", "https://examplebucket.s3.amazonaws.com/?lifecycle", [])
        #expect(signed.canonicalRequest.hasPrefix("GET\n/\nlifecycle=\n"))
        #expect(signed.signature == "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543")
    }

    /// Query parameters sorted by name.
    @Test func s3ListObjectsExample() throws {
        let signed = try s3("GET", "https://examplebucket.s3.amazonaws.com/?prefix=J&max-keys=2", [])
        #expect(signed.canonicalRequest.hasPrefix("GET\n/\nmax-keys=2&prefix=J\n"))
        #expect(signed.signature == "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")
    }

    /// The SigV4 test suite signs only host and x-amz-date, with another service and key.
    @Test(arguments: [
        ("https://example.amazonaws.com/", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        ("https://example.amazonaws.com/?Param2=value2&Param1=value1", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"),
    ])
    func signatureV4TestSuite(_ url: String, _ expected: String) throws {
        let signed = try SigV4Signer.sign(
            method: "GET", url: URL(string: url)!, headers: [], payloadSHA256: SigV4Signer.emptyPayloadSHA256,
            credentials: S3Credentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
            region: "us-east-1", service: "service", date: Date(timeIntervalSince1970: 1_440_938_160))  // 2015-08-30T12:36:00Z
        #expect(signed.signedHeaders == "host;x-amz-date")
        #expect(signed.signature == expected)
        #expect(signed.authorization.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request,"))
    }

    /// A session token is a signed header of its own; a port other than the scheme's is part of Host.
    @Test func aSessionTokenAndAPortAreSigned() throws {
        let credentials = S3Credentials(accessKeyID: "AKID", secretAccessKey: "secret-key-never-shown", sessionToken: "token-never-shown")
        let signed = try SigV4Signer.sign(
            method: "HEAD", url: URL(string: "http://127.0.0.1:9000/bucket/ab/cd.png")!, headers: [], payloadSHA256: SigV4Signer.emptyPayloadSHA256,
            credentials: credentials, region: "us-east-1", service: "s3", date: Self.may24)
        #expect(signed.signedHeaders == "host;x-amz-date;x-amz-security-token")
        #expect(signed.headers.contains { $0.name == "host" && $0.value == "127.0.0.1:9000" })
        #expect(signed.headers.contains { $0.name == "x-amz-security-token" && $0.value == "token-never-shown" })
        #expect(!signed.authorization.contains("secret-key-never-shown"))
        #expect(!String(describing: credentials).contains("never-shown") && !String(reflecting: credentials).contains("never-shown"))
        var dumped = ""
        dump(credentials, to: &dumped)
        #expect(!dumped.contains("never-shown"))
    }

    @Test func encodingKeepsOnlyUnreservedCharacters() {
        #expect(SigV4Signer.encode("a b+c/d~e_f.g-h$é") == "a%20b%2Bc%2Fd~e_f.g-h%24%C3%A9")
        #expect(SigV4Signer.encode("prefix/ab/cd.png", keepingSlashes: true) == "prefix/ab/cd.png")
    }
}
