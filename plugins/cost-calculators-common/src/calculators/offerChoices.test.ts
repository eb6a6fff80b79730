import { DEFAULT_PRICE_BOOK } from '../priceBook/defaultPriceBook';
import { offerChoices, offerName, offerPriceSkus } from './offerChoices';

const offers = DEFAULT_PRICE_BOOK.offers;
const ids = (choices: { id: string }[]) => choices.map(c => c.id);
const offer = (id: string) => offers.find(o => o.id === id)!;

describe('offerChoices (C6 offer select)', () => {
  it("lists orders-db's two Azure SQL Database offers first, every other offer after", () => {
    const { matching, others } = offerChoices(offers, {
      provider: 'azure',
      service: 'azure-sql-db',
      engineEdition: 'sqlserver-enterprise',
    });
    expect(matching).toEqual([
      {
        id: 'azure.sqldb.vcore-gp',
        name: 'Azure SQL Database, General Purpose (vCore)',
      },
      {
        id: 'azure.sqldb.vcore-bc',
        name: 'Azure SQL Database, Business Critical (vCore)',
      },
    ]);
    expect([...ids(matching), ...ids(others)].sort()).toEqual(
      offers.map(o => o.id).sort(),
    );
  });

  it('narrows by what is known: provider and edition without a service', () => {
    expect(
      ids(
        offerChoices(offers, {
          provider: 'aws',
          engineEdition: 'oracle-ee',
        }).matching,
      ),
    ).toEqual(['aws.rds.oracle', 'aws.ec2.dedicated-host']);
  });

  it('with nothing known no offer is said to fit', () => {
    const { matching, others } = offerChoices(offers, {});
    expect(matching).toEqual([]);
    expect(others).toHaveLength(offers.length);
  });

  it("names an adopter's offer from its parts", () => {
    expect(
      offerName({
        ...offer('oci.dbcs'),
        id: 'oci.exadata',
        service: 'exadata',
      }),
    ).toBe('OCI exadata (counted by ocpu)');
  });
});

describe('offerPriceSkus', () => {
  it('finds the SKU the default book prices SQL Server on Azure VMs with', () => {
    expect(
      offerPriceSkus(DEFAULT_PRICE_BOOK.entries, offer('azure.vm.sqlserver')),
    ).toEqual(['example.sqlserver-ent']);
  });

  it('finds none for Azure SQL Database: the book has no price for it', () => {
    expect(
      offerPriceSkus(DEFAULT_PRICE_BOOK.entries, offer('azure.sqldb.vcore-gp')),
    ).toEqual([]);
  });
});
