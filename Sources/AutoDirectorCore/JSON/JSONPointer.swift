/// An RFC 6901 JSON Pointer: the address format JSON Patch and spec-violation reports share.
///
/// `tokens` are the unescaped reference tokens; `description` is the encoded form (`""` for the
/// whole document, `~0` for `~` and `~1` for `/` inside tokens).
public struct JSONPointer: Sendable, Hashable, CustomStringConvertible {
    public var tokens: [String]

    public init(tokens: [String]) {
        self.tokens = tokens
    }

    /// Tokens compare by scalars, like the keys they address.
    public static func == (lhs: JSONPointer, rhs: JSONPointer) -> Bool {
        lhs.tokens.count == rhs.tokens.count && zip(lhs.tokens, rhs.tokens).allSatisfy(ScalarText.equal)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(tokens.count)
        for token in tokens { ScalarText.hash(token, into: &hasher) }
    }

    public init(parsing text: String) throws {
        guard !text.isEmpty else {
            self.tokens = []
            return
        }
        guard text.hasPrefix("/") else {
            throw JSONPointerError(message: "JSON Pointer \(Self.quoted(text)) must be empty or start with '/'")
        }
        var tokens: [String] = []
        for raw in text.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).dropFirst() {
            tokens.append(try Self.unescape(raw, in: text))
        }
        self.tokens = tokens
    }

    public var description: String {
        var text = ""
        for token in tokens {
            text += "/"
            guard token.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else {
                text += token
                continue
            }
            for scalar in token.unicodeScalars {
                switch scalar {
                case "~": text += "~0"
                case "/": text += "~1"
                default: text.unicodeScalars.append(scalar)
                }
            }
        }
        return text
    }

    /// The value this pointer designates in `document`, or nil when some step is missing (absent
    /// member, index out of range or malformed, `-`, or a step into a scalar).
    public func resolve(in document: JSONValue) -> JSONValue? {
        var current = document
        for token in tokens {
            switch current {
            case .object(let object):
                guard let member = object[token] else { return nil }
                current = member
            case .array(let elements):
                guard let position = Self.arrayIndex(token), position < elements.count else { return nil }
                current = elements[position]
            default:
                return nil
            }
        }
        return current
    }

    /// The pointer to the containing value; nil for the whole document, which has no parent.
    public var parent: JSONPointer? {
        tokens.isEmpty ? nil : JSONPointer(tokens: Array(tokens.dropLast()))
    }

    public func appending(_ token: String) -> JSONPointer {
        JSONPointer(tokens: tokens + [token])
    }

    /// True when `self` designates `other` or something inside it.
    func hasPrefix(_ other: JSONPointer) -> Bool {
        tokens.count >= other.tokens.count && tokens.starts(with: other.tokens, by: ScalarText.equal)
    }

    /// The array index a token denotes: decimal digits without leading zeros (RFC 6901 §4). `-`
    /// (the position after the last element) is not an index; JSON Patch handles it itself.
    static func arrayIndex(_ token: String) -> Int? {
        let utf8 = token.utf8
        guard let first = utf8.first, utf8.count <= 18 else { return nil }
        if first == UInt8(ascii: "0") { return utf8.count == 1 ? 0 : nil }
        var value = 0
        for byte in utf8 {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    private static func unescape(_ raw: Substring.UTF8View, in text: String) throws -> String {
        guard raw.contains(UInt8(ascii: "~")) else { return String(decoding: raw, as: UTF8.self) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(raw.count)
        var iterator = raw.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "~") else {
                bytes.append(byte)
                continue
            }
            switch iterator.next() {
            case UInt8(ascii: "0"): bytes.append(UInt8(ascii: "~"))
            case UInt8(ascii: "1"): bytes.append(UInt8(ascii: "/"))
            default:
                throw JSONPointerError(message: "JSON Pointer \(quoted(text)) has a '~' not followed by '0' or '1'")
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func quoted(_ text: String) -> String {
        JSONTextEncoding.quoted(text)
    }
}

/// A string that is not a valid JSON Pointer.
public struct JSONPointerError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(message: String) {
        self.message = message
    }

    public var description: String { message }
}
