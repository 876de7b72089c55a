package io.voltworkflow.core.internal;

import io.voltworkflow.core.event.EventListener;
import io.voltworkflow.core.event.EventRecord;
import io.voltworkflow.core.event.Subscription;
import io.voltworkflow.core.model.WorkflowId;
import io.voltworkflow.core.store.WorkflowStore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Delivers durable events to listeners off the engine's threads. Each listener has a bounded queue and is drained
 * in batches by a small delivery pool, one batch at a time per listener so a slow one only delays itself.
 * Publishing never blocks: a global listener whose queue is full loses the event, counted and reported; a
 * workflow listener instead switches to reading the store, so it sees every event once, in order.
 */
final class EventBus implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(EventBus.class.getName());
  private static final int STORE_PAGE = 1000;

  private final int queueSize;
  private final int batchSize;
  private final boolean enabled;
  private final WorkflowStore store;
  private final ExecutorService delivery;
  private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();

  EventBus(int queueSize, int batchSize, boolean enabled, WorkflowStore store) {
    this.queueSize = queueSize;
    this.batchSize = batchSize;
    this.enabled = enabled;
    this.store = store;
    AtomicInteger count = new AtomicInteger();
    this.delivery = new ThreadPoolExecutor(2, 2, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), runnable -> {
      Thread thread = new Thread(runnable, "volt-events-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  Subscription subscribe(Predicate<EventRecord> filter, EventListener listener) {
    Subscriber subscriber = new Subscriber(filter, listener, null, 0);
    subscribers.add(subscriber);
    return subscriber;
  }

  /** Events of one workflow after {@code afterSequence}: stored ones first, then live ones. */
  Subscription subscribe(WorkflowId workflowId, long afterSequence, EventListener listener) {
    Subscriber subscriber = new Subscriber(r -> r.workflowId().equals(workflowId), listener, workflowId, afterSequence);
    subscribers.add(subscriber);
    subscriber.requestCatchUp();
    return subscriber;
  }

  /** Called with durable events, each workflow's in sequence order. */
  void publish(List<EventRecord> records) {
    if (!enabled || subscribers.isEmpty()) {
      return;
    }
    for (Subscriber subscriber : subscribers) {
      for (EventRecord record : records) {
        if (subscriber.filter.test(record)) {
          subscriber.offer(record);
        }
      }
    }
  }

  int subscriberCount() {
    return subscribers.size();
  }

  /** Events waiting in listener queues: the bus's lag. */
  long queuedEvents() {
    long total = 0;
    for (Subscriber subscriber : subscribers) {
      total += subscriber.queued();
    }
    return total;
  }

  @Override
  public void close() {
    delivery.shutdown();
  }

  private final class Subscriber implements Subscription {
    final Predicate<EventRecord> filter;
    final EventListener listener;
    final WorkflowId workflowId;
    private final ArrayDeque<EventRecord> queue = new ArrayDeque<>();
    private boolean scheduled;
    private boolean catchUp;
    private long missed;
    private long unreportedMissed;
    private volatile boolean closed;
    /** Workflow subscribers only; touched by the draining thread alone. */
    private long lastDelivered;

    Subscriber(Predicate<EventRecord> filter, EventListener listener, WorkflowId workflowId, long afterSequence) {
      this.filter = filter;
      this.listener = listener;
      this.workflowId = workflowId;
      this.lastDelivered = afterSequence;
    }

    synchronized void offer(EventRecord record) {
      if (closed) {
        return;
      }
      if (queue.size() < queueSize) {
        queue.add(record);
      } else if (workflowId != null) {
        catchUp = true;
      } else {
        missed++;
        unreportedMissed++;
      }
      schedule();
    }

    synchronized void requestCatchUp() {
      catchUp = true;
      schedule();
    }

    synchronized int queued() {
      return queue.size();
    }

    private void schedule() {
      if (!scheduled) {
        scheduled = true;
        delivery.execute(this::drainOneBatch);
      }
    }

    /** One batch, then back into the pool's queue, so listeners take turns. */
    private void drainOneBatch() {
      List<EventRecord> batch = new ArrayList<>(batchSize);
      long missedNow;
      boolean readStore;
      synchronized (this) {
        while (batch.size() < batchSize && !queue.isEmpty()) {
          batch.add(queue.poll());
        }
        missedNow = unreportedMissed;
        unreportedMissed = 0;
        readStore = catchUp;
        catchUp = false;
        if (closed || (batch.isEmpty() && missedNow == 0 && !readStore)) {
          scheduled = false;
          return;
        }
      }
      try {
        if (workflowId == null) {
          if (missedNow > 0) {
            listener.onMissed(missedNow, missedSoFar());
          }
          batch.forEach(this::deliver);
        } else {
          deliverInOrder(batch, readStore);
        }
      } finally {
        synchronized (this) {
          if (closed) {
            scheduled = false;
          } else {
            delivery.execute(this::drainOneBatch);
          }
        }
      }
    }

    private void deliverInOrder(List<EventRecord> batch, boolean readStore) {
      for (EventRecord record : batch) {
        if (record.sequence() <= lastDelivered) {
          continue;
        }
        if (record.sequence() > lastDelivered + 1) {
          readFromStore(record.sequence() - 1);
        }
        if (record.sequence() == lastDelivered + 1) {
          deliver(record);
          lastDelivered = record.sequence();
        }
      }
      if (readStore) {
        readFromStore(Long.MAX_VALUE);
      }
    }

    /** Delivers stored events after the last delivered one, up to {@code through}. */
    private void readFromStore(long through) {
      while (!closed && lastDelivered < through) {
        List<EventRecord> page = store.read(workflowId, lastDelivered, STORE_PAGE);
        for (EventRecord record : page) {
          if (record.sequence() > through || closed) {
            return;
          }
          deliver(record);
          lastDelivered = record.sequence();
        }
        if (page.size() < STORE_PAGE) {
          return;
        }
      }
    }

    private void deliver(EventRecord record) {
      try {
        listener.onEvent(record);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "event listener failed on " + record.type().wireName() + " #"
            + record.sequence() + " of workflow " + record.workflowId(), e);
      }
    }

    private synchronized long missedSoFar() {
      return missed;
    }

    @Override
    public synchronized long missedEvents() {
      return missed;
    }

    @Override
    public void close() {
      closed = true;
      subscribers.remove(this);
      synchronized (this) {
        queue.clear();
      }
    }
  }
}
