from news.forms import ArticleAdminForm


def form_data(categories, **overrides):
    data = {
        "title": "标签检查稿",
        "category": categories["news"].pk,
        "body": "<p>正文内容。</p>",
        "status": "published",
        "publish_at": "2026-11-20 09:30",
        "tags": "文明创建, G60",
    }
    return {**data, **overrides}


def test_editor_gets_a_clear_error_for_a_tag_without_letters(categories):
    form = ArticleAdminForm(data=form_data(categories, tags="文明创建, #, ++"))

    assert not form.is_valid()
    assert form.errors["tags"] == ["标签“#、++”不含文字或数字，无法生成标签页，请修改。"]


def test_chinese_and_latin_tags_are_accepted(categories):
    form = ArticleAdminForm(data=form_data(categories))

    assert form.is_valid(), form.errors
    assert sorted(form.cleaned_data["tags"]) == ["G60", "文明创建"]
