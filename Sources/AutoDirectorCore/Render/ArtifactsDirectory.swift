import Foundation

/// The shared directory image files are kept in (`AUTODIRECTOR_ARTIFACTS=DIR`, or
/// `--artifacts DIR`): a directory every machine of a shared project mounts (NFS, SMB), so that
/// each sees every image (SPEC §16). Unset: the project directory's `artifacts/`.
public enum ArtifactsDirectory {
    /// The flag, else the environment; nil when neither names one. The directory must exist:
    /// a mount that is missing must not be mistaken for an empty store.
    public static func chosen(flag: String?, environment: [String: String], workingDirectory: URL? = nil) throws -> URL? {
        let fromEnvironment = environment["AUTODIRECTOR_ARTIFACTS"].flatMap { $0.isEmpty ? nil : $0 }
        guard let value = flag ?? fromEnvironment else { return nil }
        let source = flag != nil ? "--artifacts" : "AUTODIRECTOR_ARTIFACTS"
        if let scheme = value.range(of: "://").map({ String(value[..<$0.lowerBound]) }) {
            throw ArtifactError(
                message: "\(source): \(TextSanitizer.quoted(scheme))-URLs are not an artifact store this version has; name a directory every machine mounts")
        }
        let base = workingDirectory ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
        let url = (value.hasPrefix("/") ? URL(fileURLWithPath: value, isDirectory: true) : base.appendingPathComponent(value, isDirectory: true))
            .standardizedFileURL
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ArtifactError(message: "\(source): \(TextSanitizer.quoted(url.path)) is not a directory (is the shared directory mounted here?)")
        }
        return url
    }
}
