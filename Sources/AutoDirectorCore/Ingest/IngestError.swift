/// One problem in an input file, positioned where it applies.
public struct IngestProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int?
    public var column: Int?
    public var message: String

    public init(line: Int?, column: Int? = nil, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        switch (line, column) {
        case let (line?, column?): return "line \(line), column \(column): \(message)"
        case let (line?, nil): return "line \(line): \(message)"
        default: return message
        }
    }
}

/// A file refused by ingest. Ingest is all-or-nothing: nothing of the file was stored.
public struct IngestError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var problems: [IngestProblem]
    /// How many more problems were found but not kept, to keep messages readable.
    public var omitted: Int

    public static let problemLimit = 20

    public init(file: String, problems: [IngestProblem], omitted: Int = 0) {
        self.file = file
        self.problems = problems
        self.omitted = omitted
    }

    /// `file:line:column: message` per problem, the first one leading, like a compiler.
    public var description: String {
        let name = TextSanitizer.visible(file)
        var lines = problems.map { problem -> String in
            var position = name
            if let line = problem.line { position += ":\(line)" }
            if let column = problem.column { position += ":\(column)" }
            return "\(position): \(problem.message)"
        }
        if omitted > 0 { lines.append("… and \(omitted) more problem\(omitted == 1 ? "" : "s")") }
        lines.append("Nothing was ingested.")
        return lines.joined(separator: "\n")
    }
}

/// Collects problems up to a readable limit.
struct ProblemList {
    var problems: [IngestProblem] = []
    var omitted = 0

    mutating func add(_ problem: IngestProblem) {
        if problems.count < IngestError.problemLimit { problems.append(problem) } else { omitted += 1 }
    }

    var isEmpty: Bool { problems.isEmpty }

    func error(file: String) -> IngestError {
        IngestError(file: file, problems: problems, omitted: omitted)
    }
}
