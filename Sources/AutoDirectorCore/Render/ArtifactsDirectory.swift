import Foundation

/// Where a shared project keeps image files (`AUTODIRECTOR_ARTIFACTS`, or `--artifacts`), so that
/// each machine sees every image (SPEC §16): a directory every machine mounts (NFS, SMB), or
/// S3-compatible object storage (`s3://BUCKET/PREFIX`, see `S3Configuration`). Unset: the
/// project directory's `artifacts/`.
public enum ArtifactsLocation: Sendable, CustomStringConvertible {
    case directory(URL)
    case s3(S3Configuration)

    public var description: String {
        switch self {
        case .directory(let url): return url.path
        case .s3(let configuration): return configuration.description
        }
    }
}

public enum ArtifactsDirectory {
    /// The flag, else the environment; nil when neither names one. A directory must exist: a
    /// mount that is missing must not be mistaken for an empty store. An `s3://` value takes its
    /// endpoint, region and keys from the `AWS_*` variables of `environment`.
    public static func chosen(flag: String?, environment: [String: String], workingDirectory: URL? = nil) throws -> ArtifactsLocation? {
        let source = flag != nil ? "--artifacts" : "AUTODIRECTOR_ARTIFACTS"
        if let flag, flag.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ArtifactError(
                message: "--artifacts is empty; name a directory every machine mounts or s3://BUCKET/PREFIX, or leave the flag out for the project directory's artifacts/")
        }
        let fromEnvironment = environment["AUTODIRECTOR_ARTIFACTS"].flatMap { $0.isEmpty ? nil : $0 }
        guard let value = flag ?? fromEnvironment else { return nil }
        if let scheme = value.range(of: "://").map({ String(value[..<$0.lowerBound]) }) {
            guard scheme.lowercased() == "s3" else {
                throw ArtifactError(
                    message: "\(source): \(TextSanitizer.quoted(String(scheme.prefix(32))))-URLs are not an artifact store this version has; "
                        + "name a directory every machine mounts, or s3://BUCKET/PREFIX")
            }
            return .s3(try S3Configuration(value, environment: environment, source: source))
        }
        let base = workingDirectory ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        let url = (value.hasPrefix("/") ? URL(fileURLWithPath: value, isDirectory: true) : base.appendingPathComponent(value, isDirectory: true))
            .standardizedFileURL
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ArtifactError(message: "\(source): \(TextSanitizer.quoted(url.path)) is not a directory (is the shared directory mounted here?)")
        }
        return .directory(url)
    }
}
