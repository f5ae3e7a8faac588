import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';
import { productJson } from '../../products/read-model/product-json';

interface StoredProduct {
  id: string;
  sku: string;
  name: string;
  price_cents: number | string;
  stock: number | string;
  created_at: string;
  updated_at: string;
}

/**
 * The read model made for the read routes: each product's body stored with it (`view`), filled
 * here for the products already there, and an index on `(sku, name_folded)` that a search scans
 * in SKU order without reading the rows.
 */
export class CatalogProductViews1764900000000 implements MigrationInterface {
  name = 'CatalogProductViews1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('products', new TableColumn({ name: 'view', type: 'text', isNullable: true }));
    const products: StoredProduct[] = await queryRunner.query(
      'SELECT id, sku, name, price_cents, stock, created_at, updated_at FROM products',
    );
    for (const product of products) {
      const view = productJson({
        id: product.id,
        sku: product.sku,
        name: product.name,
        priceCents: Number(product.price_cents),
        stock: Number(product.stock),
        createdAt: new Date(product.created_at),
        updatedAt: new Date(product.updated_at),
      });
      await queryRunner.manager
        .createQueryBuilder()
        .update('products')
        .set({ view })
        .where('id = :id', { id: product.id })
        .execute();
    }
    await queryRunner.changeColumn('products', 'view', new TableColumn({ name: 'view', type: 'text' }));
    await queryRunner.createIndex(
      'products',
      new TableIndex({ name: 'ix_products_search', columnNames: ['sku', 'name_folded'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('products', 'ix_products_search');
    await queryRunner.dropColumn('products', 'view');
  }
}
