"""The ``cong`` distribution: a plugin-based portal framework for provincial e-government."""

from setuptools import setup

setup(
    name="cong",
    version="0.1.0",
    description="Plugin-based content and portal framework for Vietnamese provincial e-government",
    long_description=open("README.md", encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    license="MIT",
    python_requires=">=3.11",
    packages=[
        "core",
        "core.api",
        "core.cli",
        "core.views",
        "catalog",
        "subsites",
        "plugins",
        "plugins.news",
        "themes",
        "etc",
    ],
    include_package_data=True,
    package_data={
        "core": ["locale/*/LC_MESSAGES/*.po", "locale/*/LC_MESSAGES/*.mo", "locale/*.pot"],
        "themes": ["*/*.pt", "*/static/*", "*/static/*/*"],
        "plugins.news": ["templates/*.pt"],
        "etc": ["workflows/*.json", "demo/*.json"],
    },
    install_requires=[
        "pyramid>=2.0",
        "pyramid_tm>=2.5",
        "pyramid_retry>=2.1",
        "pyramid_zodbconn>=0.8",
        "pyramid_chameleon>=0.3",
        "Chameleon>=4.0",
        "ZODB>=6.0",
        "zodburi>=2.5",
        "transaction>=3.0",
        "BTrees>=4.11",
        "persistent>=5.0",
        "zope.interface>=6.0",
        "pluggy>=1.3",
        "argon2-cffi>=23.1",
        "Pillow>=10.0",
        "nh3>=0.2.14",
        "waitress>=3.0",
        "Babel>=2.12",
    ],
    extras_require={
        "test": [
            "pytest>=8.0",
            "pytest-cov>=5.0",
            "WebTest>=3.0",
            "playwright>=1.45",
            "ruff>=0.6",
        ],
    },
    entry_points={
        "paste.app_factory": ["main = core:main"],
        "console_scripts": ["cong = core.cli.main:main"],
        "cong.plugins": [
            "news = plugins.news",
        ],
    },
)
