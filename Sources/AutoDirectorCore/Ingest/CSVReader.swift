import Foundation

/// One CSV record together with where each of its fields starts, so that later
/// validation can point the user at the exact spot in their file.
public struct CSVRecord: Sendable, Equatable {
    public var fields: [String]
    /// 1-based physical line where the record starts.
    public var line: Int
    /// 1-based column, counted in Unicode scalars on the field's own line
    /// (`fieldLines[i]`), where each field starts; for a quoted field that is
    /// the opening quote.
    public var columns: [Int]
    /// 1-based physical line where each field starts; differs from `line` for
    /// fields that follow a quoted field containing line breaks.
    public var fieldLines: [Int]

    public init(fields: [String], line: Int, columns: [Int], fieldLines: [Int]) {
        self.fields = fields
        self.line = line
        self.columns = columns
        self.fieldLines = fieldLines
    }
}

public struct CSVError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case unterminatedQuote
        case unexpectedQuote
        case unexpectedCharacterAfterQuote
        case invalidUTF8
    }

    public var kind: Kind
    public var line: Int
    /// 1-based, counted in Unicode scalars.
    public var column: Int
    public var message: String

    public var description: String { "line \(line), column \(column): \(message)" }

    public init(kind: Kind, line: Int, column: Int, message: String) {
        self.kind = kind
        self.line = line
        self.column = column
        self.message = message
    }

    init(_ kind: Kind, line: Int, column: Int) {
        let message: String
        switch kind {
        case .unterminatedQuote:
            message = "unterminated quoted field (the quote opened here is never closed)"
        case .unexpectedQuote:
            message = "unexpected quote in an unquoted field (quote the whole field and double any quote inside it)"
        case .unexpectedCharacterAfterQuote:
            message = "unexpected character after a closing quote (only a comma, a line ending or the end of the file may follow it)"
        case .invalidUTF8:
            message = "invalid UTF-8 byte sequence (the file must be encoded as UTF-8)"
        }
        self.init(kind: kind, line: line, column: column, message: message)
    }

    static func invalidUTF8(line: Int, column: Int, byte: UInt8) -> CSVError {
        let hex = String(byte, radix: 16, uppercase: true)
        return CSVError(
            kind: .invalidUTF8, line: line, column: column,
            message: "invalid UTF-8 sequence starting with byte 0x\(hex) (the file must be encoded as UTF-8)"
        )
    }
}

/// Streaming RFC 4180 reader.
///
/// Bytes are scanned in place; a field's text is materialised once, when the
/// field ends. Only the field currently being read is ever copied aside (when it
/// straddles a chunk boundary), so memory is bounded by the chunk size plus the
/// longest field, not by the file size.
///
/// Once `next()` has thrown a `CSVError`, every later call throws the same error:
/// after a malformed quote there is no reliable place to resynchronise.
public struct CSVReader {
    private enum State {
        case fieldStart
        case unquoted
        case quoted
        /// A quote seen inside a quoted field: either the closing quote or the
        /// first half of a doubled quote, decided by the next byte.
        case afterQuote
    }

    private static let lf: UInt8 = 0x0A
    private static let cr: UInt8 = 0x0D
    private static let quote: UInt8 = 0x22
    private static let comma: UInt8 = 0x2C

    private let handle: FileHandle?
    private let chunkSize: Int
    private var buffer: [UInt8]
    private var pos = 0
    /// Absolute byte offset of `buffer[0]` in the input.
    private var bufferBase = 0
    private var sourceExhausted: Bool
    private var started = false
    private var finished = false
    private var failure: CSVError?

    private var line = 1
    /// Columns are derived from absolute offsets: the scalar index of a byte is
    /// its offset minus the continuation bytes before it, which keeps the ASCII
    /// hot path free of per-byte column bookkeeping.
    private var continuationBytes = 0
    private var lineStartScalar = 0
    /// A CR was the last byte of a chunk; an LF opening the next chunk belongs
    /// to the same line ending.
    private var pendingCR = false

    private var utf8Remaining = 0
    private var utf8Lower: UInt8 = 0x80
    private var utf8Upper: UInt8 = 0xBF
    private var utf8LeadLine = 0
    private var utf8LeadColumn = 0
    private var utf8LeadByte: UInt8 = 0

    private var state = State.fieldStart
    private var fields: [String] = []
    private var columns: [Int] = []
    private var fieldLines: [Int] = []
    private var recordLine = 0
    private var segmentStart = 0
    private var segmentEnd = 0
    /// Field bytes carried over from earlier chunks or preceding a doubled quote.
    private var pending: [UInt8] = []

    public init(url: URL, chunkSize: Int = 1 << 16) throws {
        precondition(chunkSize > 0, "chunkSize must be positive")
        handle = try FileHandle(forReadingFrom: url)
        self.chunkSize = chunkSize
        buffer = []
        buffer.reserveCapacity(chunkSize)
        sourceExhausted = false
    }

    public init(bytes: [UInt8]) {
        handle = nil
        chunkSize = bytes.count
        buffer = bytes
        sourceExhausted = true
    }

    /// Returns nil at the end of the input. Blank lines never produce records,
    /// so a file of only line endings reads as empty.
    public mutating func next() throws -> CSVRecord? {
        if let failure { throw failure }
        if finished { return nil }
        do {
            if !started { try start() }
            while true {
                if pos == buffer.count {
                    if sourceExhausted {
                        finished = true
                        return try finish()
                    }
                    try refill()
                    continue
                }
                let chunk = buffer
                let recordDone = try chunk.withUnsafeBufferPointer { try scan($0) }
                if recordDone { return takeRecord() }
            }
        } catch let error as CSVError {
            failure = error
            throw error
        }
    }

    // MARK: - Input

    private mutating func start() throws {
        started = true
        while buffer.count < 3, !sourceExhausted {
            try readChunk()
        }
        if buffer.count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF {
            pos = 3
            lineStartScalar = 3
        }
    }

    private mutating func readChunk() throws {
        guard let handle, let data = try handle.read(upToCount: chunkSize), !data.isEmpty else {
            sourceExhausted = true
            try? handle?.close()
            return
        }
        buffer.append(contentsOf: data)
    }

    /// Replaces the fully scanned buffer with the next chunk, first moving the
    /// unfinished field's bytes into `pending` since they are about to vanish.
    private mutating func refill() throws {
        switch state {
        case .fieldStart:
            break
        case .unquoted, .quoted:
            pending.append(contentsOf: buffer[segmentStart..<buffer.count])
        case .afterQuote:
            pending.append(contentsOf: buffer[segmentStart..<segmentEnd])
        }
        bufferBase += buffer.count
        buffer.removeAll(keepingCapacity: true)
        pos = 0
        segmentStart = 0
        segmentEnd = 0
        try readChunk()
        if pendingCR, !buffer.isEmpty {
            pendingCR = false
            if buffer[0] == Self.lf {
                pos = 1
                lineStartScalar = bufferBase + 1 - continuationBytes
            }
        }
    }

    // MARK: - Scanning

    /// Stops as soon as a record is complete (returning true) so that records
    /// are handed out one at a time and never queue up in memory.
    private mutating func scan(_ p: UnsafeBufferPointer<UInt8>) throws -> Bool {
        let end = p.count
        var i = pos
        if utf8Remaining > 0 {
            i = try continueScalar(p, i, end)
        }
        outer: while i < end {
            switch state {
            case .fieldStart:
                let b = p[i]
                if columns.isEmpty {
                    if b == Self.lf || b == Self.cr {
                        i = newline(p, i, end)
                        continue outer
                    }
                    recordLine = line
                }
                columns.append(column(at: i))
                fieldLines.append(line)
                switch b {
                case Self.quote:
                    state = .quoted
                    i += 1
                    segmentStart = i
                case Self.comma:
                    fields.append("")
                    i += 1
                case Self.lf, Self.cr:
                    fields.append("")
                    pos = newline(p, i, end)
                    return true
                default:
                    state = .unquoted
                    segmentStart = i
                }

            case .unquoted:
                while i < end {
                    let b = p[i]
                    if b > Self.comma {
                        if b < 0x80 {
                            i += 1
                        } else {
                            i = try startScalar(p, i, end)
                        }
                        continue
                    }
                    switch b {
                    case Self.comma:
                        endField(p, segmentStart, i)
                        state = .fieldStart
                        i += 1
                        continue outer
                    case Self.lf, Self.cr:
                        endField(p, segmentStart, i)
                        state = .fieldStart
                        pos = newline(p, i, end)
                        return true
                    case Self.quote:
                        throw CSVError(.unexpectedQuote, line: line, column: column(at: i))
                    default:
                        i += 1
                    }
                }

            case .quoted:
                while i < end {
                    let b = p[i]
                    if b > Self.quote {
                        if b < 0x80 {
                            i += 1
                        } else {
                            i = try startScalar(p, i, end)
                        }
                        continue
                    }
                    switch b {
                    case Self.quote:
                        segmentEnd = i
                        state = .afterQuote
                        i += 1
                        continue outer
                    case Self.lf, Self.cr:
                        i = newline(p, i, end)
                    default:
                        i += 1
                    }
                }

            case .afterQuote:
                let b = p[i]
                switch b {
                case Self.quote:
                    // The second quote of the pair starts the next segment, so the
                    // pair contributes exactly one quote without a separate append.
                    pending.append(contentsOf: UnsafeBufferPointer(rebasing: p[segmentStart..<segmentEnd]))
                    segmentStart = i
                    state = .quoted
                    i += 1
                case Self.comma:
                    endField(p, segmentStart, segmentEnd)
                    state = .fieldStart
                    i += 1
                case Self.lf, Self.cr:
                    endField(p, segmentStart, segmentEnd)
                    state = .fieldStart
                    pos = newline(p, i, end)
                    return true
                default:
                    throw CSVError(.unexpectedCharacterAfterQuote, line: line, column: column(at: i))
                }
            }
        }
        pos = i
        return false
    }

    private func column(at index: Int) -> Int {
        bufferBase + index - continuationBytes - lineStartScalar + 1
    }

    /// A CR that ends the buffer cannot tell yet whether it starts a CRLF, so
    /// it leaves `pendingCR` for `refill` to resolve.
    private mutating func newline(_ p: UnsafeBufferPointer<UInt8>, _ i: Int, _ end: Int) -> Int {
        var next = i + 1
        if p[i] == Self.cr {
            if next < end {
                if p[next] == Self.lf { next += 1 }
            } else {
                pendingCR = true
            }
        }
        line += 1
        lineStartScalar = bufferBase + next - continuationBytes
        return next
    }

    private mutating func endField(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) {
        let bytes = UnsafeBufferPointer(rebasing: p[start..<end])
        // Bytes were already validated while scanning, so decoding cannot repair anything.
        if pending.isEmpty {
            fields.append(String(decoding: bytes, as: UTF8.self))
        } else {
            pending.append(contentsOf: bytes)
            fields.append(String(decoding: pending, as: UTF8.self))
            pending.removeAll(keepingCapacity: true)
        }
    }

    // MARK: - UTF-8 validation

    /// Validates the multi-byte sequence whose lead byte is at `i`, following
    /// Unicode's well-formed byte table (no overlongs, surrogates or values past
    /// U+10FFFF). A sequence cut by the chunk end is finished by the next `scan`.
    private mutating func startScalar(_ p: UnsafeBufferPointer<UInt8>, _ i: Int, _ end: Int) throws -> Int {
        let lead = p[i]
        let count: Int
        var lower: UInt8 = 0x80
        var upper: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF:
            count = 1
        case 0xE0:
            count = 2
            lower = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF:
            count = 2
        case 0xED:
            count = 2
            upper = 0x9F
        case 0xF0:
            count = 3
            lower = 0x90
        case 0xF1...0xF3:
            count = 3
        case 0xF4:
            count = 3
            upper = 0x8F
        default:
            throw CSVError.invalidUTF8(line: line, column: column(at: i), byte: lead)
        }
        utf8Remaining = count
        utf8Lower = lower
        utf8Upper = upper
        utf8LeadLine = line
        utf8LeadColumn = column(at: i)
        utf8LeadByte = lead
        return try continueScalar(p, i + 1, end)
    }

    private mutating func continueScalar(_ p: UnsafeBufferPointer<UInt8>, _ i: Int, _ end: Int) throws -> Int {
        var i = i
        while utf8Remaining > 0 {
            if i == end { return i }
            let b = p[i]
            guard b >= utf8Lower, b <= utf8Upper else { throw truncatedScalarError() }
            utf8Lower = 0x80
            utf8Upper = 0xBF
            utf8Remaining -= 1
            continuationBytes += 1
            i += 1
        }
        return i
    }

    /// Reported at the lead byte: that is where the broken character starts,
    /// and for legacy 8-bit files it is the byte the user has to fix.
    private func truncatedScalarError() -> CSVError {
        .invalidUTF8(line: utf8LeadLine, column: utf8LeadColumn, byte: utf8LeadByte)
    }

    // MARK: - Records

    private mutating func finish() throws -> CSVRecord? {
        if utf8Remaining > 0 { throw truncatedScalarError() }
        switch state {
        case .fieldStart:
            if columns.isEmpty { return nil }
            columns.append(column(at: buffer.count))
            fieldLines.append(line)
            fields.append("")
        case .unquoted:
            endBufferedField(segmentStart, buffer.count)
        case .quoted:
            throw CSVError(.unterminatedQuote, line: fieldLines[fieldLines.count - 1], column: columns[columns.count - 1])
        case .afterQuote:
            endBufferedField(segmentStart, segmentEnd)
        }
        state = .fieldStart
        return takeRecord()
    }

    private mutating func endBufferedField(_ start: Int, _ end: Int) {
        let chunk = buffer
        chunk.withUnsafeBufferPointer { endField($0, start, end) }
    }

    private mutating func takeRecord() -> CSVRecord {
        let count = fields.count
        var record = CSVRecord(fields: [], line: recordLine, columns: [], fieldLines: [])
        swap(&record.fields, &fields)
        swap(&record.columns, &columns)
        swap(&record.fieldLines, &fieldLines)
        fields.reserveCapacity(count)
        columns.reserveCapacity(count)
        fieldLines.reserveCapacity(count)
        return record
    }
}
