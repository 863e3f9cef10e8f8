/// How deeply JSON may nest: one limit for everything the product accepts — input files,
/// patches, the dotted paths of a patch, and the spec a patch produces — so that anything
/// accepted can be stored, read back, rendered and exported.
///
/// Depth counts containers: `{}` and `[]` at the top are depth 1, `{"a":{}}` is depth 2.
public enum JSONDepth {
    /// The deepest nesting accepted anywhere. Real specs nest 4 levels (FIBO's structured prompt
    /// about 5); the limit only exists so that hostile input cannot exhaust the stack of the
    /// recursive parser, writer and diff.
    public static let limit = 64

    /// What the store's readers allow: twice the limit, because storage wraps a spec (a batch's
    /// rows are an array of entries) and because projects written before the limit existed may
    /// hold specs nested a little deeper than it.
    static let storedLimit = 2 * limit

    /// The path to the first container nested deeper than `limit`, or nil when `value` fits.
    /// The walk stops one level past the limit, so its own recursion is bounded whatever the input.
    public static func pathBeyondLimit(in value: JSONValue, limit: Int = JSONDepth.limit) -> [JSONPathComponent]? {
        var path: [JSONPathComponent] = []
        return walk(value, depth: 1, limit: limit, path: &path) ? path : nil
    }

    private static func walk(_ value: JSONValue, depth: Int, limit: Int, path: inout [JSONPathComponent]) -> Bool {
        switch value {
        case .object(let object):
            if depth > limit { return true }
            for member in object {
                path.append(.key(member.key))
                if walk(member.value, depth: depth + 1, limit: limit, path: &path) { return true }
                path.removeLast()
            }
        case .array(let array):
            if depth > limit { return true }
            for (index, element) in array.enumerated() {
                path.append(.index(index))
                if walk(element, depth: depth + 1, limit: limit, path: &path) { return true }
                path.removeLast()
            }
        default:
            break
        }
        return false
    }
}
