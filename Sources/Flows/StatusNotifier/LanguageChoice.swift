import BusSchema

/// The language a notification is written in: the customer's, else the order's, else the
/// configured fallback; a language without templates (not in `supported`, when that list is
/// not empty) is skipped, a regional tag matching its language's templates ("fr-BE" → "fr").
public enum LanguageChoice {
    /// The first of `customer` and `order` that has templates, else `fallback`, else (no
    /// fallback configured) the first of them known; nil only when nothing at all is known.
    public static func pick(customer: LanguageCode?, order: LanguageCode?, supported: [LanguageCode], fallback: LanguageCode?) -> LanguageCode? {
        let candidates = [customer, order].compactMap { $0 }
        for candidate in candidates {
            if supported.isEmpty || supported.contains(candidate) { return candidate }
            if let general = supported.first(where: { $0.tag == candidate.language }) { return general }
        }
        return fallback ?? candidates.first
    }
}
