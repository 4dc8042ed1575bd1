from django.urls import path

from . import views

app_name = "news"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("category/<slug:slug>/", views.CategoryView.as_view(), name="category"),
    path("article/<int:pk>/", views.article_detail, name="article"),
    path("tag/<str:slug>/", views.TagView.as_view(), name="tag"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("editor/images/", views.editor_image_upload, name="editor-image-upload"),
]
