from core.request_cache import RequestCacheMiddleware, forget, memoised


def test_answers_are_memoised_within_a_request_only():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    # Outside a request every call computes (commands and tests see fresh data).
    assert memoised("k", compute) == 1 and memoised("k", compute) == 2

    def view(request):
        first, second = memoised("k", compute), memoised("k", compute)
        forget()
        return first, second, memoised("k", compute)

    assert RequestCacheMiddleware(view)(object()) == (3, 3, 4)
    assert memoised("k", compute) == 5  # the request's memo is gone with it
