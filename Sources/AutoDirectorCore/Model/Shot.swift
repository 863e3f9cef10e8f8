import Foundation

/// One planned image, keyed by its shot id (unique within the project).
public struct Shot: Sendable, Equatable {
    public var id: String
    public var batchID: String
    /// Line of the source row in the batch file.
    public var sourceLine: Int
    public var subject: String
    public var latestVersion: Int

    public init(id: String, batchID: String, sourceLine: Int, subject: String, latestVersion: Int) {
        self.id = id
        self.batchID = batchID
        self.sourceLine = sourceLine
        self.subject = subject
        self.latestVersion = latestVersion
    }
}
