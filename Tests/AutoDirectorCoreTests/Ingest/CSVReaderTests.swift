import Foundation
import Testing

@testable import AutoDirectorCore

@Suite("CSVReader")
struct CSVReaderTests {
    /// Every behaviour is checked through the in-memory reader and through files
    /// read in chunks small enough to split quotes, CRLF pairs and multi-byte
    /// characters, because chunk boundaries are where a streaming parser breaks.
    enum Source: Sendable, CustomTestStringConvertible {
        case bytes
        case file(chunkSize: Int)

        static let all: [Source] = [
            .bytes,
            .file(chunkSize: 1),
            .file(chunkSize: 2),
            .file(chunkSize: 3),
            .file(chunkSize: 7),
            .file(chunkSize: 1 << 16),
        ]

        var testDescription: String {
            switch self {
            case .bytes: "bytes"
            case .file(let chunkSize): "file/\(chunkSize)"
            }
        }
    }

    struct Outcome: Equatable, CustomStringConvertible {
        var records: [CSVRecord]
        var error: CSVError?

        var description: String {
            let lines = records.map { "\($0.line) \($0.fields) cols=\($0.columns) lines=\($0.fieldLines)" }
            return (lines + [error.map { "error: \($0.kind) \($0)" } ?? "end"]).joined(separator: "\n")
        }
    }

    private func readAll(_ input: [UInt8], from source: Source) throws -> Outcome {
        switch source {
        case .bytes:
            var reader = CSVReader(bytes: input)
            return drain(&reader)
        case .file(let chunkSize):
            let url = FileManager.default.temporaryDirectory
                .appendingPathComponent("csvreader-\(UUID().uuidString).csv")
            try Data(input).write(to: url)
            defer { try? FileManager.default.removeItem(at: url) }
            var reader = try CSVReader(url: url, chunkSize: chunkSize)
            return drain(&reader)
        }
    }

    private func readAll(_ input: String, from source: Source) throws -> Outcome {
        try readAll(Array(input.utf8), from: source)
    }

    private func drain(_ reader: inout CSVReader) -> Outcome {
        var records: [CSVRecord] = []
        do {
            while let record = try reader.next() {
                records.append(record)
            }
            return Outcome(records: records, error: nil)
        } catch let error as CSVError {
            return Outcome(records: records, error: error)
        } catch {
            Issue.record("unexpected error \(error)")
            return Outcome(records: records, error: nil)
        }
    }

    private func record(_ fields: [String], line: Int, columns: [Int], fieldLines: [Int]? = nil) -> CSVRecord {
        CSVRecord(fields: fields, line: line, columns: columns, fieldLines: fieldLines ?? Array(repeating: line, count: fields.count))
    }

    /// Shows control characters escaped in test names instead of breaking the log lines.
    struct Text: Sendable, ExpressibleByStringLiteral, CustomTestStringConvertible {
        var text: String
        init(stringLiteral text: String) { self.text = text }
        var testDescription: String { text.debugDescription }
    }

    // MARK: RFC 4180 structure

    @Test("plain records with positions", arguments: Source.all)
    func plainRecords(source: Source) throws {
        let outcome = try readAll("sku,name,price\nPROD-1,Lamp,12.50\n", from: source)
        #expect(outcome == Outcome(records: [
            record(["sku", "name", "price"], line: 1, columns: [1, 5, 10]),
            record(["PROD-1", "Lamp", "12.50"], line: 2, columns: [1, 8, 13]),
        ]))
    }

    @Test("quoted fields may contain commas", arguments: Source.all)
    func quotedCommas(source: Source) throws {
        let outcome = try readAll("\"a,b\",c,\"d, e, f\"\n", from: source)
        #expect(outcome == Outcome(records: [
            record(["a,b", "c", "d, e, f"], line: 1, columns: [1, 7, 9]),
        ]))
    }

    @Test("doubled quotes become one quote", arguments: Source.all)
    func doubledQuotes(source: Source) throws {
        let outcome = try readAll("\"say \"\"hi\"\"\",x\n\"\"\"\"\n\"\"\"a\",\"b\"\"\"\n", from: source)
        #expect(outcome == Outcome(records: [
            record(["say \"hi\"", "x"], line: 1, columns: [1, 14]),
            record(["\""], line: 2, columns: [1]),
            record(["\"a", "b\""], line: 3, columns: [1, 7]),
        ]))
    }

    @Test(
        "line breaks inside quotes are kept and advance the line counter",
        arguments: ["\n", "\r\n", "\r"] as [Text], Source.all
    )
    func embeddedLineBreaks(lineBreak: Text, source: Source) throws {
        let newline = lineBreak.text
        let input = "id,desc,n\n1,\"one\(newline)two\(newline)three\",x\n2,y,z\n"
        let outcome = try readAll(input, from: source)
        #expect(outcome == Outcome(records: [
            record(["id", "desc", "n"], line: 1, columns: [1, 4, 9]),
            record(["1", "one\(newline)two\(newline)three", "x"], line: 2, columns: [1, 3, 8], fieldLines: [2, 2, 4]),
            record(["2", "y", "z"], line: 5, columns: [1, 3, 5]),
        ]))
    }

    @Test("a field starting after an embedded line break gets its own line and column", arguments: Source.all)
    func fieldAfterEmbeddedBreakStartsOnLaterLine(source: Source) throws {
        let outcome = try readAll("\"a\r\nb\",\"c\nd\",e\n", from: source)
        #expect(outcome == Outcome(records: [
            record(["a\r\nb", "c\nd", "e"], line: 1, columns: [1, 4, 4], fieldLines: [1, 2, 3]),
        ]))
    }

    @Test("LF, CRLF and lone CR files give the same records", arguments: ["\r\n", "\r"] as [Text], Source.all)
    func lineEndingsAreEquivalent(lineEnding: Text, source: Source) throws {
        let newline = lineEnding.text
        let rows = ["sku,name", "A-1,\"Desk, oak\"", "", "B-2,", "C-3,\"x\"\"y\""]
        let reference = try readAll(rows.joined(separator: "\n") + "\n", from: .bytes)
        let outcome = try readAll(rows.joined(separator: newline) + newline, from: source)
        #expect(outcome == reference)
        #expect(reference.records.map(\.line) == [1, 2, 4, 5])
        #expect(reference.error == nil)
    }

    @Test("a leading byte order mark is skipped", arguments: Source.all)
    func byteOrderMark(source: Source) throws {
        let outcome = try readAll("\u{FEFF}sku,name\n\u{FEFF}x,y", from: source)
        #expect(outcome == Outcome(records: [
            record(["sku", "name"], line: 1, columns: [1, 5]),
            record(["\u{FEFF}x", "y"], line: 2, columns: [1, 4]),
        ]))
    }

    @Test("the last record may lack a line ending", arguments: ["a,b", "a,\"b\"", "a,b\n", "a,b\r\n", "a,b\r"] as [Text], Source.all)
    func lastRecordWithoutNewline(input: Text, source: Source) throws {
        let outcome = try readAll(input.text, from: source)
        #expect(outcome == Outcome(records: [record(["a", "b"], line: 1, columns: [1, 3])]))
    }

    @Test("completely empty lines are skipped", arguments: Source.all)
    func blankLinesSkipped(source: Source) throws {
        let outcome = try readAll("\n\na,b\n\n\r\n\rc,d\n\n", from: source)
        #expect(outcome == Outcome(records: [
            record(["a", "b"], line: 3, columns: [1, 3]),
            record(["c", "d"], line: 7, columns: [1, 3]),
        ]))
    }

    @Test("a line of spaces is a record, not a blank line", arguments: Source.all)
    func whitespaceIsNotBlank(source: Source) throws {
        let outcome = try readAll(" \n\t, x \n", from: source)
        #expect(outcome == Outcome(records: [
            record([" "], line: 1, columns: [1]),
            record(["\t", " x "], line: 2, columns: [1, 3]),
        ]))
    }

    @Test("inputs without records", arguments: ["", "\n", "\r\n\r\n\r", "\u{FEFF}", "\u{FEFF}\n"] as [Text], Source.all)
    func noRecords(input: Text, source: Source) throws {
        #expect(try readAll(input.text, from: source) == Outcome(records: []))
    }

    struct EmptyFieldCase: Sendable, CustomTestStringConvertible {
        var input: String
        var fields: [String]
        var columns: [Int]
        var testDescription: String { input.debugDescription }
    }

    @Test("empty fields", arguments: [
        EmptyFieldCase(input: "a,,b\n", fields: ["a", "", "b"], columns: [1, 3, 4]),
        EmptyFieldCase(input: "a,b,\n", fields: ["a", "b", ""], columns: [1, 3, 5]),
        EmptyFieldCase(input: "a,b,", fields: ["a", "b", ""], columns: [1, 3, 5]),
        EmptyFieldCase(input: ",a\n", fields: ["", "a"], columns: [1, 2]),
        EmptyFieldCase(input: ",\n", fields: ["", ""], columns: [1, 2]),
        EmptyFieldCase(input: ",,", fields: ["", "", ""], columns: [1, 2, 3]),
        EmptyFieldCase(input: "\"\"\n", fields: [""], columns: [1]),
        EmptyFieldCase(input: "\"\"", fields: [""], columns: [1]),
        EmptyFieldCase(input: "\"\",a", fields: ["", "a"], columns: [1, 4]),
        EmptyFieldCase(input: "a,\"\"\r\n", fields: ["a", ""], columns: [1, 3]),
        EmptyFieldCase(input: "\"\",\"\",", fields: ["", "", ""], columns: [1, 4, 7]),
    ], Source.all)
    func emptyFields(example: EmptyFieldCase, source: Source) throws {
        let outcome = try readAll(example.input, from: source)
        #expect(outcome == Outcome(records: [record(example.fields, line: 1, columns: example.columns)]))
    }

    @Test("fields are returned exactly, without trimming", arguments: Source.all)
    func noTrimming(source: Source) throws {
        let outcome = try readAll("  a , \"b \" ,\t\n", from: source)
        #expect(outcome.error?.kind == .unexpectedQuote)
        let exact = try readAll("  a ,\" b \",\t\n", from: source)
        #expect(exact == Outcome(records: [record(["  a ", " b ", "\t"], line: 1, columns: [1, 6, 12])]))
    }

    @Test("records may have different field counts", arguments: Source.all)
    func raggedRecords(source: Source) throws {
        let outcome = try readAll("a\nb,c,d\ne,f\n", from: source)
        #expect(outcome.records.map(\.fields) == [["a"], ["b", "c", "d"], ["e", "f"]])
    }

    // MARK: Unicode

    @Test("columns count Unicode scalars", arguments: Source.all)
    func multiByteColumns(source: Source) throws {
        let outcome = try readAll("é,😂,x\n\"😂😂\",é,z\ne\u{301},ü\n", from: source)
        #expect(outcome == Outcome(records: [
            record(["é", "😂", "x"], line: 1, columns: [1, 3, 5]),
            record(["😂😂", "é", "z"], line: 2, columns: [1, 6, 8]),
            record(["e\u{301}", "ü"], line: 3, columns: [1, 4]),
        ]))
    }

    @Test("multi-byte characters inside quoted fields and across line breaks", arguments: Source.all)
    func multiByteInQuotedFields(source: Source) throws {
        let outcome = try readAll("\"日本,\n😂\"\"é\",ñ\n", from: source)
        #expect(outcome == Outcome(records: [
            record(["日本,\n😂\"é", "ñ"], line: 1, columns: [1, 7], fieldLines: [1, 2]),
        ]))
    }

    // MARK: Errors

    struct ErrorCase: Sendable, CustomTestStringConvertible {
        var name: String
        var input: [UInt8]
        var kind: CSVError.Kind
        var line: Int
        var column: Int
        var recordsBefore: Int
        var testDescription: String { name }

        init(_ name: String, _ input: [UInt8], _ kind: CSVError.Kind, line: Int, column: Int, recordsBefore: Int = 0) {
            self.name = name
            self.input = input
            self.kind = kind
            self.line = line
            self.column = column
            self.recordsBefore = recordsBefore
        }

        init(_ name: String, _ input: String, _ kind: CSVError.Kind, line: Int, column: Int, recordsBefore: Int = 0) {
            self.init(name, Array(input.utf8), kind, line: line, column: column, recordsBefore: recordsBefore)
        }
    }

    static let errorCases: [ErrorCase] = [
        ErrorCase("quote inside unquoted field", "a,b\"c\n", .unexpectedQuote, line: 1, column: 4),
        ErrorCase("quote after leading space", "x\n \"a\"\n", .unexpectedQuote, line: 2, column: 2, recordsBefore: 1),
        ErrorCase("quote after multi-byte text", "ok\né😂\"\n", .unexpectedQuote, line: 2, column: 3, recordsBefore: 1),
        ErrorCase("letter after closing quote", "\"a\"b,c\n", .unexpectedCharacterAfterQuote, line: 1, column: 4),
        ErrorCase("space after closing quote", "x,\"a\" ,c\n", .unexpectedCharacterAfterQuote, line: 1, column: 6),
        ErrorCase(
            "character after quote that closed a multi-line field", "a\n\"é\n😂\"!\n",
            .unexpectedCharacterAfterQuote, line: 3, column: 3, recordsBefore: 1
        ),
        ErrorCase("non-ASCII after closing quote", "\"a\"é\n", .unexpectedCharacterAfterQuote, line: 1, column: 4),
        ErrorCase("unterminated at end of input", "a,b\nc,\"open\nmore\n", .unterminatedQuote, line: 2, column: 3, recordsBefore: 1),
        ErrorCase("unterminated after doubled quote", "\"abc\"\"", .unterminatedQuote, line: 1, column: 1),
        ErrorCase("unterminated lone quote", "é,\"", .unterminatedQuote, line: 1, column: 3),
        ErrorCase("unterminated after CRLF", "x\r\n\"\r\n", .unterminatedQuote, line: 2, column: 1, recordsBefore: 1),
        ErrorCase("invalid byte 0xFF", Array("ab".utf8) + [0xFF] + Array("c\n".utf8), .invalidUTF8, line: 1, column: 3),
        ErrorCase("stray continuation byte", Array("é😂".utf8) + [0x80], .invalidUTF8, line: 1, column: 3),
        ErrorCase("Latin-1 é", Array("ok\nCaf".utf8) + [0xE9] + Array(",x\n".utf8), .invalidUTF8, line: 2, column: 4, recordsBefore: 1),
        ErrorCase("truncated sequence before ASCII", Array("é,".utf8) + [0xE2, 0x82] + Array("x".utf8), .invalidUTF8, line: 1, column: 3),
        ErrorCase("truncated sequence at end of input", Array("a,b".utf8) + [0xF0, 0x9F, 0x98], .invalidUTF8, line: 1, column: 4),
        ErrorCase("overlong encoding", [0xC0, 0xAF], .invalidUTF8, line: 1, column: 1),
        ErrorCase("overlong three-byte encoding", Array("a".utf8) + [0xE0, 0x80, 0xAF], .invalidUTF8, line: 1, column: 2),
        ErrorCase("UTF-16 surrogate", Array("a,".utf8) + [0xED, 0xA0, 0x80], .invalidUTF8, line: 1, column: 3),
        ErrorCase("beyond U+10FFFF", [0xF4, 0x90, 0x80, 0x80], .invalidUTF8, line: 1, column: 1),
        ErrorCase(
            "invalid byte inside a quoted field on a later line", Array("h\n\"é\r\n😂".utf8) + [0xFE] + Array("\"".utf8),
            .invalidUTF8, line: 3, column: 2, recordsBefore: 1
        ),
        ErrorCase("truncated sequence inside an unterminated quote", Array("\"a".utf8) + [0xC3], .invalidUTF8, line: 1, column: 3),
    ]

    @Test("errors report their kind and exact position", arguments: errorCases, Source.all)
    func errors(example: ErrorCase, source: Source) throws {
        let outcome = try readAll(example.input, from: source)
        let error = try #require(outcome.error)
        #expect(error.kind == example.kind)
        #expect(error.line == example.line)
        #expect(error.column == example.column)
        #expect(outcome.records.count == example.recordsBefore)
    }

    @Test("an error is sticky and the reader does not resume after it")
    func errorIsSticky() throws {
        var reader = CSVReader(bytes: Array("a\n\"b\"c\nd\n".utf8))
        #expect(try reader.next()?.fields == ["a"])
        let expected = CSVError(.unexpectedCharacterAfterQuote, line: 2, column: 4)
        #expect(throws: expected) { try reader.next() }
        #expect(throws: expected) { try reader.next() }
    }

    @Test("the end of input is reported repeatedly")
    func endIsRepeatable() throws {
        var reader = CSVReader(bytes: Array("a".utf8))
        #expect(try reader.next()?.fields == ["a"])
        #expect(try reader.next() == nil)
        #expect(try reader.next() == nil)
    }

    @Test("error messages read as one sentence with their position")
    func errorDescriptions() {
        let unterminated = CSVError(.unterminatedQuote, line: 3, column: 7)
        #expect(unterminated.description == "line 3, column 7: unterminated quoted field (the quote opened here is never closed)")
        let utf8 = CSVError.invalidUTF8(line: 1, column: 2, byte: 0xE9)
        #expect(utf8.kind == .invalidUTF8)
        #expect(utf8.description.hasPrefix("line 1, column 2: invalid UTF-8 sequence starting with byte 0xE9"))
        for kind in [CSVError.Kind.unexpectedQuote, .unexpectedCharacterAfterQuote] {
            #expect(!CSVError(kind, line: 1, column: 1).message.isEmpty)
        }
    }

    @Test("opening a missing file throws")
    func missingFile() {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("csvreader-missing-\(UUID().uuidString).csv")
        #expect(throws: (any Error).self) { try CSVReader(url: url) }
    }

    // MARK: Streaming

    /// Exercises every chunk split of an input mixing all the constructs that
    /// need state carried across a boundary.
    @Test("every chunk size up to the input length gives the same records")
    func everyChunkSizeAgrees() throws {
        var text = "\u{FEFF}"
        for n in 0..<40 {
            text += "P-\(n),\"Stuhl \"\"Ø\(n)\"\"\r\nzeile 😂\",é\(n),\r\n"
            text += n.isMultiple(of: 5) ? "\r\n\n" : ""
            text += "\"\",x\r"
        }
        text += "last,\"😂\""
        let input = Array(text.utf8)
        let reference = try readAll(input, from: .bytes)
        #expect(reference.error == nil)
        #expect(reference.records.count == 81)
        #expect(reference.records.last == record(["last", "😂"], line: 137, columns: [1, 6]))
        for chunkSize in [1, 2, 3, 4, 5, 6, 7, 8, 13, 64, 4096, input.count] {
            let outcome = try readAll(input, from: .file(chunkSize: chunkSize))
            #expect(outcome == reference, "chunk size \(chunkSize)")
        }
    }

    @Test("large input through small chunks")
    func largeInput() throws {
        let row = "PROD-000001,\"Wireless, Headphones\",électronique,plastic,glossy\n"
        let input = Array(String(repeating: row, count: 5_000).utf8)
        let outcome = try readAll(input, from: .file(chunkSize: 1_000))
        #expect(outcome.error == nil)
        #expect(outcome.records.count == 5_000)
        #expect(outcome.records.last == record(
            ["PROD-000001", "Wireless, Headphones", "électronique", "plastic", "glossy"],
            line: 5_000, columns: [1, 13, 36, 49, 57]
        ))
    }
}
