import Foundation

extension Engine {
    /// Where the HTTP service keeps what clients upload (`POST /ingest/csv`): `uploads/` in the
    /// project, under the guard every other project path has (`ProjectPaths`: a link in the
    /// project that leads out of it is refused, with a sentence saying what to do).
    public func uploadsDirectory() throws -> URL {
        try ProjectPaths.inside(projectDirectory, "uploads")
    }

    /// Where the HTTP service writes and serves the bundles it exports: `exports/` in the
    /// project, under the same guard.
    public func exportsDirectory() throws -> URL {
        try ProjectPaths.inside(projectDirectory, "exports")
    }
}
