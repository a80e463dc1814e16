// The article-publisher worker: ERP articles to the site's catalogue.
import ArticlePublisherFlow
import BusRuntime
import Foundation

/// The rules come from `BUS_CONFIG`; their defaults are `ArticlePublisherRules.defaults`.
extension ArticlePublisherRules: FlowRules {}

exit(WorkerMain.run(name: "article-publisher", rules: ArticlePublisherRules.self) { ArticlePublisherFlow(rules: $0) })
