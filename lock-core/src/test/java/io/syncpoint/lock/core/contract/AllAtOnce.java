package io.syncpoint.lock.core.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Starts tasks at the same moment, so that races really race, and returns their results in order. */
public final class AllAtOnce {

    private AllAtOnce() {
    }

    /** Each task on a thread of its own, released together. */
    public static <T> List<T> run(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            return run(pool, tasks);
        } finally {
            pool.shutdownNow();
        }
    }

    /** The tasks on {@code pool}, which needs a thread for each of them, released together. */
    public static <T> List<T> run(ExecutorService pool, List<Callable<T>> tasks) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<T>> running = new ArrayList<>();
        for (Callable<T> task : tasks) {
            running.add(pool.submit(() -> {
                start.await();
                return task.call();
            }));
        }
        start.countDown();
        List<T> results = new ArrayList<>();
        for (Future<T> future : running) {
            results.add(future.get());
        }
        return results;
    }
}
