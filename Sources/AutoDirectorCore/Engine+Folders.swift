import Foundation

/// Where an export goes when its caller names no folder.
public enum ExportFolderDefault: Sendable {
    /// `./exports` in the working directory: the command line's and the terminal UI's, so a
    /// bundle lands beside the person who asked for it (the project directory is often hidden,
    /// `./.autodirector`, and a shared project's is each machine's own).
    case workingDirectory
    /// `exports/` in the project: the HTTP service's, whose clients have no working directory
    /// on this machine and fetch the bundle through it.
    case project
}

extension Engine {
    /// Where the HTTP service keeps what clients upload (`POST /ingest/csv`): `uploads/` in the
    /// project, under the guard every other project path has (`ProjectPaths`: a link in the
    /// project that leads out of it is refused, with a sentence saying what to do).
    public func uploadsDirectory() throws -> URL {
        try ProjectPaths.inside(projectDirectory, "uploads")
    }

    /// The folder an export is written to, chosen here for every face (`export`, the terminal
    /// UI's `E`, the service's `POST /export/batch/…`): `requested` (a folder the user named,
    /// `export --out DIR`) as given — the user chose it, as they chose the project, and the
    /// export checks it before any work (`ExportDestination`) — else the caller's `fallback`;
    /// the project's `exports/` is under `ProjectPaths`' guard.
    public func exportFolder(_ requested: URL? = nil, default fallback: ExportFolderDefault) throws -> URL {
        if let requested { return requested }
        switch fallback {
        case .workingDirectory: return URL(fileURLWithPath: "exports", isDirectory: true)
        case .project: return try ProjectPaths.inside(projectDirectory, "exports")
        }
    }
}
