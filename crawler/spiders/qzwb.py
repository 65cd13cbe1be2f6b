from crawler.spiders.base import NewsSpider


class QzwbSpider(NewsSpider):
    """泉州网 / 泉州晚报 (www.qzwb.com): channels 泉州 (node_538) and 要闻 (node_1467)."""

    name = "qzwb"
