"""arsip's crawler: the Scrapy project that turns outlet definitions into captures."""
