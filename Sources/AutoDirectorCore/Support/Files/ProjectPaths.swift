import Foundation

/// Paths inside a project directory that refuse to lead out of it.
///
/// The project directory itself may be a symbolic link (the user chose it), but nothing inside
/// it may send the product's writes or reads elsewhere: a `PROJECT/artifacts` linked to `/tmp`
/// would make `render` write images outside the project without a word. Links that stay inside
/// the project are allowed.
public enum ProjectPaths {
    /// `relative` under `project`, after checking that the deepest part of it that exists
    /// resolves to a place inside the project. `directory` names `project` in the error: what it
    /// is, and how a path inside it is shown (another directory kept inside, such as the shared
    /// image directory, is checked the same way).
    public static func inside(_ project: URL, _ relative: String, directory: Directory = .project) throws -> URL {
        let url = project.appendingPathComponent(relative)
        guard let root = resolved(project.path) else { return url }
        var (existing, target) = deepestExisting(url.path, above: project.path)
        // A file another process removed between the two looks (SQLite deletes its -wal file
        // when its last connection closes) is not a dangling link: look again.
        for _ in 0..<3 where target == nil && !exists(existing) {
            (existing, target) = deepestExisting(url.path, above: project.path)
        }
        if let target, target == root || target.hasPrefix(root == "/" ? "/" : root + "/") { return url }
        let shown = TextSanitizer.visible(
            existing.hasPrefix(project.path) ? directory.placeholder + existing.dropFirst(project.path.count) : existing, limit: 200)
        let what = target.map { "a symbolic link to \(TextSanitizer.visible($0, limit: 200)), outside \(directory.name)" }
            ?? "a symbolic link that leads nowhere, from \(directory.name)"
        throw ProjectPathError(
            message: "\(shown) is \(what) \(TextSanitizer.visible(project.path, limit: 200)); "
                + "\(directory.contents) must stay inside it. Replace the link with a directory (move what it points to into \(directory.shortName)) and try again.")
    }

    /// The directory paths are kept inside, as errors name it.
    public struct Directory: Sendable {
        /// How a path inside it is shown (`PROJECT/artifacts`).
        public var placeholder: String
        public var name: String
        public var shortName: String
        /// What is kept in it.
        public var contents: String

        public static let project = Directory(
            placeholder: "PROJECT", name: "the project directory", shortName: "the project", contents: "the project's files")
        public static let sharedImages = Directory(
            placeholder: "SHARED", name: "the shared image directory", shortName: "it", contents: "the images")
    }

    /// The deepest part of `path` that exists at all (a dangling link exists too), no higher
    /// than `top`, and where it resolves to (nil: nowhere).
    private static func deepestExisting(_ path: String, above top: String) -> (String, String?) {
        var existing = path
        while !exists(existing), existing.count > top.count {
            existing = (existing as NSString).deletingLastPathComponent
        }
        return (existing, resolved(existing))
    }

    /// Whether anything — a file, a directory or a link, even a dangling one — is at `path`.
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// `path` with every symbolic link resolved, or nil when it does not exist.
    static func resolved(_ path: String) -> String? {
        guard let pointer = realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }
}

public struct ProjectPathError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
