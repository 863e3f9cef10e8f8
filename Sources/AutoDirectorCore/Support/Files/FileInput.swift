import Foundation

/// Reads a user-named input file, with errors a user can act on instead of Foundation's.
public enum FileInput {
    /// Checks that `url` names a readable regular file.
    public static func check(_ url: URL) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw FileInputError(path: url.path, reason: "no such file")
        }
        if isDirectory.boolValue { throw FileInputError(path: url.path, reason: "it is a directory, not a file") }
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        if let type = attributes?[.type] as? FileAttributeType, type != .typeRegular {
            throw FileInputError(path: url.path, reason: "not a regular file (a pipe or device cannot be read twice); save it to a file first")
        }
        guard FileManager.default.isReadableFile(atPath: url.path) else {
            throw FileInputError(path: url.path, reason: "permission denied")
        }
    }

    public static func read(_ url: URL) throws -> Data {
        try check(url)
        do { return try Data(contentsOf: url) } catch {
            throw FileInputError(path: url.path, reason: "the file could not be read")
        }
    }
}

extension FileInput {
    /// Reads a file that is read once, start to end — so a pipe, `/dev/stdin` or a link to a file
    /// will do, unlike `read`, whose files are read again — of at most `limit` bytes.
    public static func readOnce(_ url: URL, limit: Int) throws -> Data {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw FileInputError(path: url.path, reason: "no such file")
        }
        if isDirectory.boolValue { throw FileInputError(path: url.path, reason: "it is a directory, not a file") }
        guard let handle = FileHandle(forReadingAtPath: url.path) else { throw FileInputError(path: url.path, reason: "permission denied") }
        defer { try? handle.close() }
        return try readOnce(handle, named: url.path, limit: limit)
    }

    /// What `handle` holds up to its end (standard input, for one), at most `limit` bytes.
    public static func readOnce(_ handle: FileHandle, named name: String, limit: Int) throws -> Data {
        var data = Data()
        do {
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                data += chunk
                guard data.count <= limit else { throw FileInputError(path: name, reason: "it is larger than \(limit >> 20) MB") }
            }
        } catch let error as FileInputError {
            throw error
        } catch {
            throw FileInputError(path: name, reason: "it could not be read")
        }
        return data
    }
}

public struct FileInputError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public var description: String { "Cannot read \(TextSanitizer.visible(path)): \(reason)." }
}
