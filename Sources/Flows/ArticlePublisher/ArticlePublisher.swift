// The article-publisher flow: its rules, no Kafka. Placeholder until its issue lands.
import BusSchema
