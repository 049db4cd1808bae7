package io.wacast.console.client;

import java.util.List;

/** One page of a list, as every wacast list endpoint answers it. */
public record Page<T>(List<T> items, int page, int size, long total) {

    public int pages() {
        return size <= 0 ? 1 : (int) Math.max(1, (total + size - 1) / size);
    }

    public boolean hasPrevious() {
        return page > 0;
    }

    public boolean hasNext() {
        return page + 1 < pages();
    }

    public boolean isEmpty() {
        return items == null || items.isEmpty();
    }

    /** 1-based position of the first item shown, for "41–60 of 1,234". */
    public long from() {
        return isEmpty() ? 0 : (long) page * size + 1;
    }

    public long to() {
        return isEmpty() ? 0 : (long) page * size + items.size();
    }
}
