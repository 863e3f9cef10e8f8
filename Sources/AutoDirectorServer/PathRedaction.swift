import Foundation

/// The server's own paths as a client may see them in an error: a file in the project by its
/// project-relative name (`exports/b1/manifest.json`), an upload by the client's own file name,
/// the project itself as "the project directory". The client named none of these absolute
/// paths, and they tell a stranger where the project lives and who runs it (SPEC §15).
struct PathRedaction: Sendable {
    private let projectPaths: [String]

    init(projectDirectory: URL) {
        let given = projectDirectory.standardizedFileURL.path
        let resolved = projectDirectory.resolvingSymlinksInPath().path
        // The longer first, so that neither eats part of the other.
        projectPaths = Array(Set([given, resolved])).filter { $0.count > 1 }.sorted { $0.count > $1.count }
    }

    /// `text` with the project's paths made relative; with `anyPath`, any other absolute path
    /// (an internal error may name any file of the machine) cut to its last component. Text
    /// that a client sent (a JSON pointer like `/camera/fov`) is only touched by the first.
    func apply(_ text: String, anyPath: Bool = false) -> String {
        var text = text
        for project in projectPaths where text.contains(project) {
            // An upload is stored as uploads/<UUID>/<the client's name>: the client knows the name.
            text = text.replacingOccurrences(
                of: NSRegularExpression.escapedPattern(for: project + "/uploads/") + "[0-9A-Fa-f-]{36}/", with: "", options: .regularExpression)
            text = text.replacingOccurrences(of: project + "/", with: "")
            text = text.replacingOccurrences(of: project, with: "the project directory")
        }
        if anyPath {
            text = text.replacingOccurrences(of: #"(?<![\w.~-])/(?:[^\s/"'“”‘’,;:()\[\]{}<>]+/)+(?=[^\s/"'“”‘’,;:()\[\]{}<>]*)"#, with: "", options: .regularExpression)
        }
        return text
    }
}
