package io.syncpoint.lock.core.domain;

import java.util.List;
import java.util.function.Function;

/** One page of a longer list, with the length of the whole list. */
public record Page<T>(List<T> data, long total, int limit, long offset) {
    public Page {
        data = List.copyOf(data);
    }

    public static <T> Page<T> of(List<T> data, long total, PageRequest request) {
        return new Page<>(data, total, request.limit(), request.offset());
    }

    public <U> Page<U> map(Function<? super T, ? extends U> mapper) {
        return new Page<>(data.stream().<U>map(mapper).toList(), total, limit, offset);
    }
}
