/// RFC 7386 JSON Merge Patch: the simple "overlay these members" patch format, where `null`
/// deletes a member and any non-object replaces the target wholesale.
///
/// Existing members keep their place and new ones are appended, so a patched spec still reads in
/// the order its author wrote it.
public enum MergePatch {
    public static func apply(_ patch: JSONValue, to target: JSONValue) -> JSONValue {
        guard case .object(let patchObject) = patch else { return patch }
        var result = target.objectValue ?? JSONObject()
        for member in patchObject {
            if member.value.isNull {
                result.removeValue(forKey: member.key)
            } else {
                result[member.key] = apply(member.value, to: result[member.key] ?? .null)
            }
        }
        return .object(result)
    }
}
