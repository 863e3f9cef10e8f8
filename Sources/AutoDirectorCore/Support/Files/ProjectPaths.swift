import Foundation

/// Paths inside a project directory that refuse to lead out of it.
///
/// The project directory itself may be a symbolic link (the user chose it), but nothing inside
/// it may send the product's writes or reads elsewhere: a `PROJECT/artifacts` linked to `/tmp`
/// would make `render` write images outside the project without a word. Links that stay inside
/// the project are allowed.
public enum ProjectPaths {
    /// `relative` under `project`, after checking that the deepest part of it that exists
    /// resolves to a place inside the project.
    public static func inside(_ project: URL, _ relative: String) throws -> URL {
        let url = project.appendingPathComponent(relative)
        guard let root = resolved(project.path) else { return url }
        // The deepest part of the path that exists at all (a dangling link exists too).
        var existing = url.path
        while !exists(existing), existing.count > project.path.count {
            existing = (existing as NSString).deletingLastPathComponent
        }
        let target = resolved(existing)
        if let target, target == root || target.hasPrefix(root == "/" ? "/" : root + "/") { return url }
        let shown = TextSanitizer.visible(existing.hasPrefix(project.path) ? "PROJECT" + existing.dropFirst(project.path.count) : existing, limit: 200)
        let what = target.map { "a symbolic link to \(TextSanitizer.visible($0, limit: 200)), outside the project directory" }
            ?? "a symbolic link that leads nowhere, from the project directory"
        throw ProjectPathError(
            message: "\(shown) is \(what) \(TextSanitizer.visible(project.path, limit: 200)); "
                + "the project's files must stay inside it. Replace the link with a directory (move what it points to into the project) and try again.")
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
