// The record key of each message type, in one table: the field whose value the key must be.
// Types without an entry have no such field: an ERP customer update is keyed by the account
// code or `site:<id>` for a creation, an exception by its entity, a resync request by the
// worker it asks, a live query and its answer by the asker's reply key.

extension ERPCustomerAccount { public static let keyField: MessageKey<Self>? = MessageKey("$.account_code") { $0.accountCode.rawValue } }
extension SiteCustomerAccount { public static let keyField: MessageKey<Self>? = MessageKey("$.site_account_id") { $0.siteAccountID.rawValue } }
extension ErasureRequest { public static let keyField: MessageKey<Self>? = MessageKey("$.site_account_id") { $0.siteAccountID.rawValue } }
extension SiteCustomerUpdate { public static let keyField: MessageKey<Self>? = MessageKey("$.site_account_id") { $0.siteAccountID.rawValue } }
extension IdentityLink { public static let keyField: MessageKey<Self>? = MessageKey("$.site_account_id") { $0.siteAccountID.rawValue } }
extension ErasureNotice { public static let keyField: MessageKey<Self>? = MessageKey("$.site_account_id") { $0.siteAccountID.rawValue } }

extension ERPArticle { public static let keyField: MessageKey<Self>? = MessageKey("$.sku") { $0.sku.rawValue } }
extension ERPArticleV1 { public static let keyField: MessageKey<Self>? = MessageKey("$.sku") { $0.article.sku.rawValue } }
extension CatalogEntry { public static let keyField: MessageKey<Self>? = MessageKey("$.sku") { $0.sku.rawValue } }
extension CatalogUnpublish { public static let keyField: MessageKey<Self>? = MessageKey("$.sku") { $0.sku.rawValue } }
extension ERPStockLevel { public static let keyField: MessageKey<Self>? = MessageKey("$.sku") { $0.sku.rawValue } }
extension StockClaim { public static let keyField: MessageKey<Self>? = MessageKey("$.sku") { $0.sku.rawValue } }
extension Availability { public static let keyField: MessageKey<Self>? = MessageKey("$.sku") { $0.sku.rawValue } }

extension SiteOrder { public static let keyField: MessageKey<Self>? = MessageKey("$.order_number") { $0.orderNumber.rawValue } }
extension OrderChange { public static let keyField: MessageKey<Self>? = MessageKey("$.order_number") { $0.orderNumber.rawValue } }
extension CancellationRequest { public static let keyField: MessageKey<Self>? = MessageKey("$.order_number") { $0.orderNumber.rawValue } }
extension ReturnRequest { public static let keyField: MessageKey<Self>? = MessageKey("$.order_number") { $0.orderNumber.rawValue } }
extension ERPSalesOrder { public static let keyField: MessageKey<Self>? = MessageKey("$.external_reference") { $0.externalReference.rawValue } }
extension ERPSalesOrderCancellation { public static let keyField: MessageKey<Self>? = MessageKey("$.external_reference") { $0.externalReference.rawValue } }
extension ERPReturnRequest { public static let keyField: MessageKey<Self>? = MessageKey("$.external_reference") { $0.externalReference.rawValue } }
extension OrderAcceptance { public static let keyField: MessageKey<Self>? = MessageKey("$.order_number") { $0.orderNumber.rawValue } }
extension OrderAcceptanceV1 { public static let keyField: MessageKey<Self>? = MessageKey("$.order_number") { $0.acceptance.orderNumber.rawValue } }
extension OrderAcceptanceV2 { public static let keyField: MessageKey<Self>? = MessageKey("$.order_number") { $0.acceptance.orderNumber.rawValue } }

extension SitePayment { public static let keyField: MessageKey<Self>? = MessageKey("$.order_number") { $0.orderNumber.rawValue } }
extension ERPInvoice { public static let keyField: MessageKey<Self>? = MessageKey("$.order_number") { $0.orderNumber.rawValue } }
extension ERPCreditNote { public static let keyField: MessageKey<Self>? = MessageKey("$.order_number") { $0.orderNumber.rawValue } }
extension Receipt { public static let keyField: MessageKey<Self>? = MessageKey("$.order_number") { $0.orderNumber.rawValue } }
extension LetteringEntry { public static let keyField: MessageKey<Self>? = MessageKey("$.order_number") { $0.orderNumber.rawValue } }
extension StoreCreditIssued { public static let keyField: MessageKey<Self>? = MessageKey("$.order_number") { $0.orderNumber.rawValue } }
extension GiftCardIssued { public static let keyField: MessageKey<Self>? = MessageKey("$.order_number") { $0.orderNumber.rawValue } }
extension StoreCreditSpend { public static let keyField: MessageKey<Self>? = MessageKey("$.code") { $0.code.rawValue } }
extension StoreCreditDecision { public static let keyField: MessageKey<Self>? = MessageKey("$.order_number") { $0.orderNumber.rawValue } }
extension PaymentOffset { public static let keyField: MessageKey<Self>? = MessageKey("$.order_number") { $0.orderNumber.rawValue } }
extension RefundProposal { public static let keyField: MessageKey<Self>? = MessageKey("$.order_number") { $0.orderNumber.rawValue } }
extension AccountInvoice { public static let keyField: MessageKey<Self>? = MessageKey("$.invoice_number") { $0.invoiceNumber.rawValue } }
extension AccountOrderExposure { public static let keyField: MessageKey<Self>? = MessageKey("$.order_number") { $0.orderNumber.rawValue } }

extension ERPOrderStatus { public static let keyField: MessageKey<Self>? = MessageKey("$.order_number") { $0.orderNumber.rawValue } }
extension TrackingUpdate { public static let keyField: MessageKey<Self>? = MessageKey("$.order_number") { $0.orderNumber.rawValue } }
extension CustomerNotification { public static let keyField: MessageKey<Self>? = MessageKey("$.order_number") { $0.orderNumber.rawValue } }
