from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """`?page=` from 1 and `?page_size=` up to 100; a page past the end is 404."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
