#include "app/store_metrics.h"

#include <string_view>

namespace accord::app {
namespace {

// The children the collector publishes into; they live as long as the registry.
struct StoreMetrics {
  http::Counter* transactions;
  http::Counter* bodies;
  http::Counter* rolled_back;
  http::Counter* batch_failures;
  http::Counter* group_syncs;
  http::Counter* checkpoints_background;
  http::Counter* checkpoints_inline;
  http::Counter* checkpoint_failures;
  http::Gauge* wal_frames;
  http::Gauge* replay_journal_entries;

  void Publish(const store::WriteStats& s) const {
    transactions->RaiseTo(s.transactions);
    bodies->RaiseTo(s.bodies);
    rolled_back->RaiseTo(s.bodies_rolled_back);
    batch_failures->RaiseTo(s.batch_failures);
    group_syncs->RaiseTo(s.group_syncs);
    checkpoints_background->RaiseTo(s.checkpoints_background);
    checkpoints_inline->RaiseTo(s.checkpoints_inline);
    checkpoint_failures->RaiseTo(s.checkpoint_failures);
    wal_frames->Set(s.wal_frames);
    replay_journal_entries->Set(s.replay_journal_entries);
  }
};

http::Counter* Unlabelled(http::Registry& registry, std::string_view name, std::string_view help) {
  return &registry.AddCounter(name, help).WithLabels({});
}

}  // namespace

void AddStoreMetrics(http::Registry& registry, const store::Store& store) {
  http::CounterFamily& checkpoints = registry.AddCounter(
      "accord_store_checkpoints_total",
      "SQLite WAL checkpoints run by the background thread or inline by a committing writer",
      {"mode"});
  const StoreMetrics metrics{
      Unlabelled(registry, "accord_store_write_transactions_total",
                 "Write transactions committed; a batch of queued writes counts once"),
      Unlabelled(registry, "accord_store_write_bodies_total",
                 "Writes committed; divided by write transactions, the mean batch size"),
      Unlabelled(registry, "accord_store_write_bodies_rolled_back_total",
                 "Writes undone alone by their own error, the rest of their batch kept"),
      Unlabelled(registry, "accord_store_batch_failures_total",
                 "Write transactions that failed whole: every write in them got an error"),
      Unlabelled(registry, "accord_store_group_syncs_total",
                 "fdatasyncs of the SQLite -wal, each making every commit before it durable"),
      &checkpoints.WithLabels({"background"}),
      &checkpoints.WithLabels({"inline"}),
      Unlabelled(registry, "accord_store_checkpoint_failures_total",
                 "SQLite WAL checkpoints of either mode that failed"),
      &registry
           .AddGauge("accord_store_wal_frames",
                     "Pages in the SQLite -wal after the latest commit")
           .WithLabels({}),
      &registry
           .AddGauge("accord_store_replay_journal_entries",
                     "Client assertion and DPoP proof jtis in the replay journal, unexpired")
           .WithLabels({}),
  };
  const store::Store* source = &store;
  registry.AddCollector([metrics, source] { metrics.Publish(source->write_stats()); });
}

}  // namespace accord::app
