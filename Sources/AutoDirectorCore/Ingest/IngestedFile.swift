import Foundation

/// An input file being ingested: what is known up front, and its rows, which arrive in chunks
/// while they are read and validated. The stream fails at its end (with every problem found)
/// when the file is invalid, so the store, which writes as rows arrive, rolls everything back.
public struct IngestedFile: Sendable {
    /// The path as given, for messages.
    public var path: String
    public var name: String
    public var sha256: String
    public var format: InputFormat
    public var header: [String]
    public var mapping: ColumnMapping
    public var rows: ChunkPipe<IngestedRow>
}

/// One row as ingest checked it and as the store keeps it. Planning reads rows back from the
/// store, so ingest keeps only what it validates and stores.
public struct IngestedRow: Sendable {
    public var line: Int
    /// Where the shot id stands on its line, for messages.
    public var column: Int?
    public var shotID: String
    /// What the batch table shows before and after planning.
    public var subject: String
    public var raw: RawRow
}

/// A row verbatim: CSV cells, or a storyboard record's JSON text.
public enum RawRow: Sendable {
    case cells([String])
    case json(String)

    /// Appends the row as JSON (an array of strings for cells).
    func write(into sink: inout ByteSink) {
        switch self {
        case .cells(let cells):
            sink.append(UInt8(ascii: "["))
            for (index, cell) in cells.enumerated() {
                if index > 0 { sink.append(UInt8(ascii: ",")) }
                JSONTextEncoding.writeString(cell, into: &sink)
            }
            sink.append(UInt8(ascii: "]"))
        case .json(let text):
            var text = text
            text.withUTF8 { sink.append($0) }
        }
    }
}

/// Reads any supported input file: CSV, a JSON array, or JSON Lines (SPEC §4).
public enum InputReader {
    public static func open(url: URL, mapping: ColumnMapping = .default) throws -> IngestedFile {
        let name = url.lastPathComponent
        do { try FileInput.check(url) } catch let error as FileInputError {
            throw IngestError(file: url.path, problems: [IngestProblem(line: nil, message: "cannot read the file: \(error.reason)")])
        }
        let format = try detectFormat(url)
        var file: IngestedFile
        switch format {
        case .csv:
            // CSV streams: the reader checks at its end that the file still has this hash.
            file = try CSVIngest.open(url: url, mapping: mapping, sha256: try fileSHA256(url))
        case .jsonArray, .jsonLines:
            file = try StoryboardReader.open(url: url, format: format, mapping: mapping)
        }
        file.name = name
        file.path = url.path
        return file
    }

    static func detectFormat(_ url: URL) throws -> InputFormat {
        switch url.pathExtension.lowercased() {
        case "jsonl", "ndjson": return .jsonLines
        case "json":
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            let head = (try handle.read(upToCount: 4096)) ?? Data()
            let first = head.drop { [0x20, 0x09, 0x0a, 0x0d, 0xef, 0xbb, 0xbf].contains($0) }.first
            return first == UInt8(ascii: "[") ? .jsonArray : .jsonLines
        default: return .csv
        }
    }

    static func fileSHA256(_ url: URL) throws -> String {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hasher = StreamingSHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(chunk) }
        return hasher.finalizeHex()
    }
}

/// Finds shot ids used more than once in a file. Every line of every duplicated id is listed, so
/// the user can fix them all at once.
struct DuplicateFinder {
    private struct Occurrences {
        var firstColumn: Int?
        var lines: [Int]
    }

    private var seen: [String: Occurrences] = [:]

    /// `expectedCount` sizes the table up front, so a large file does not rehash as it grows.
    init(expectedCount: Int = 0) {
        seen.reserveCapacity(min(max(0, expectedCount), 10_000_000))
    }

    mutating func add(_ shotID: String, line: Int, column: Int? = nil) {
        if seen[shotID]?.lines.append(line) == nil {
            seen[shotID] = Occurrences(firstColumn: column, lines: [line])
        }
    }

    func report(into problems: inout ProblemList) {
        let duplicated = seen.filter { $0.value.lines.count > 1 }.sorted { $0.value.lines[0] < $1.value.lines[0] }
        for (id, occurrences) in duplicated {
            let lines = occurrences.lines.map(String.init).joined(separator: ", ")
            problems.add(IngestProblem(
                line: occurrences.lines[0], column: occurrences.firstColumn,
                message: "duplicate shot_id \(TextSanitizer.quoted(id)) on lines \(lines)"))
        }
    }
}
