import BusSchema

extension KeyedDecodingContainer {
    /// A quantity that must not be negative, or `fallback` when absent.
    func nonNegativeQuantity(forKey key: Key, default fallback: Quantity) throws -> Quantity {
        let quantity = try decode(Quantity.self, forKey: key, default: fallback)
        guard !quantity.value.isNegative else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "must not be negative")
        }
        return quantity
    }
}
