import Foundation

/// The header values an upload is read by: the request's `Content-Type` (its boundary) and each
/// part's `Content-Disposition` (its field name and the client's file name, reduced to a safe
/// one). Pure, so that `scripts/fuzz` feeds it hostile values directly.
enum MultipartHeaders {
    /// The `boundary` parameter of a `multipart/form-data` content type: 1–200 characters, its
    /// quotes removed; nil when missing or unusable.
    static func boundary(of contentType: String) -> String? {
        guard let value = parameter("boundary", in: contentType) else { return nil }
        return value.isEmpty || value.count > 200 ? nil : value
    }

    /// A `name=value` parameter (name case-insensitive, quotes removed) of a header value whose
    /// first `;`-separated element is the type itself.
    static func parameter(_ name: String, in value: String) -> String? {
        for part in value.split(separator: ";").dropFirst() {
            let pieces = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pieces.count == 2, pieces[0].lowercased() == name {
                return pieces[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return nil
    }

    /// The client's file name as a safe one: the last path component, letters, digits, `.`,
    /// `_` and `-` only, with a readable extension; else `upload.csv`.
    static func safeFileName(_ name: String?) -> String {
        let last = (name ?? "").split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let kept = String(last.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) && $0.isASCII || "._-".unicodeScalars.contains($0) }.map(Character.init))
        let lower = kept.lowercased()
        guard !kept.hasPrefix("."), kept.count <= 100, [".csv", ".json", ".jsonl"].contains(where: { lower.hasSuffix($0) }), kept.count > 4 else {
            return "upload.csv"
        }
        return kept
    }
}
